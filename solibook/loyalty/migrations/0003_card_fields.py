"""Loyalty moves from online accounts to the salon's client cards (issue #15,
point 3), step 1 of 3: the new columns, next to the old ones."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_one_card_per_person"),
        ("loyalty", "0002_programme_for_every_business"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="pointsaccount", name="loyalty_one_points_account"),
        migrations.RemoveConstraint(model_name="walletaccount", name="loyalty_one_wallet_per_currency"),
        migrations.RemoveConstraint(model_name="badgeaward", name="loyalty_badge_once"),
        migrations.RemoveConstraint(model_name="challengecompletion", name="loyalty_challenge_once"),
        migrations.AddField(
            model_name="pointsaccount",
            name="card",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.client"
            ),
        ),
        migrations.AddField(
            model_name="challengecompletion",
            name="card",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.client"
            ),
        ),
        migrations.AddField(
            model_name="badgeaward",
            name="card",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.client"
            ),
        ),
        migrations.AddField(
            model_name="walletaccount",
            name="card",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.client"
            ),
        ),
        migrations.AddField(
            model_name="walletaccount",
            name="business",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.business"
            ),
        ),
    ]
