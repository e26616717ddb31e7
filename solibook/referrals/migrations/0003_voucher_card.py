"""A referral voucher belongs to the salon's client card (issue #15, point 3):
the desk redeems it for anyone. Each voucher moves from the online account to
that account's card at the salon (found or created)."""

import django.db.models.deletion
from django.db import migrations, models

from solibook.clients.migrating import historical_card_for


def forwards(apps, schema_editor):
    cache: dict = {}
    Voucher = apps.get_model("referrals", "Voucher")
    for voucher in Voucher._base_manager.all():
        voucher.card = historical_card_for(apps, cache, voucher.business_id, voucher.client_id)
        voucher.save(update_fields=["card"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("clients", "0002_one_card_per_person"),
        ("referrals", "0002_programme_for_every_business"),
    ]

    operations = [
        migrations.AddField(
            model_name="voucher",
            name="card",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.client"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
