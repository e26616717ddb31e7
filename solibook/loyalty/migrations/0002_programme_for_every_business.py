"""Every business has its loyalty programme row from its creation (catalog.signals.business_created):
create it for businesses made before that."""

from django.db import migrations


def create_rows(apps, schema_editor):
    Business = apps.get_model("catalog", "Business")
    Row = apps.get_model("loyalty", "Programme")
    have = set(Row._base_manager.values_list("business_id", flat=True))
    Row._base_manager.bulk_create(
        [
            Row(business_id=pk)
            for pk in Business._base_manager.values_list("pk", flat=True)
            if pk not in have
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_branding"),
        ("loyalty", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
