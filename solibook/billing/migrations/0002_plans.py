"""The plans on sale: free, starter, pro (prices and limits in billing/plans.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from solibook.billing.plans import DEFAULT_PLANS

    Plan = apps.get_model("billing", "Plan")
    for code, spec in DEFAULT_PLANS.items():
        Plan.objects.get_or_create(code=code, defaults=spec)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
