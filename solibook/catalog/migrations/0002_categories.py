from django.db import migrations

from solibook.catalog.taxonomy import load_into


def load_categories(apps, schema_editor):
    load_into(apps.get_model("catalog", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
