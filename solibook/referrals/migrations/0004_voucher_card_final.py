"""The voucher's account column goes; its card column is named `client`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_voucher_card")]

    operations = [
        migrations.RemoveField(model_name="voucher", name="client"),
        migrations.RenameField(model_name="voucher", old_name="card", new_name="client"),
        migrations.AlterField(
            model_name="voucher",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="vouchers", to="clients.client"
            ),
        ),
    ]
