"""Promotions key their city on the same Latin slug as listings ("москва" -> "moscow")."""

from django.db import migrations

from solibook.marketplace.cities import city_key


def latin_city_slugs(apps, schema_editor):
    Promotion = apps.get_model("marketplace", "Promotion")
    for promotion in Promotion.objects.exclude(city_slug=""):
        slug = city_key(promotion.city_slug)
        if slug != promotion.city_slug:
            Promotion.objects.filter(pk=promotion.pk).update(city_slug=slug)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0004_readable_slugs_and_search_terms")]
    operations = [migrations.RunPython(latin_city_slugs, migrations.RunPython.noop)]
