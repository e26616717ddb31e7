"""Every business has its finance settings row from its creation (catalog.signals.business_created):
create it for businesses made before that."""

from django.db import migrations


def create_rows(apps, schema_editor):
    Business = apps.get_model("catalog", "Business")
    Row = apps.get_model("finance", "FinanceSettings")
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
        ("finance", "0003_ledger_refuses_truncate"),
    ]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
