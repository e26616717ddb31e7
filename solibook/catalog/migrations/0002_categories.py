from django.db import migrations

from solibook.catalog.taxonomy import CATEGORIES


def load_categories(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    by_slug = {}
    for position, (slug, parent, en, fr, ru, ar) in enumerate(CATEGORIES):
        category, _created = Category.objects.update_or_create(
            slug=slug,
            defaults={"parent": by_slug.get(parent), "name_en": en, "name_fr": fr, "name_ru": ru, "name_ar": ar, "position": position},
        )
        by_slug[slug] = category


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
