"""Step 3 of 3: the account columns go, the card columns are named `client`
(in the code, "client" means a card) and are required."""

import django.db.models.deletion
from django.db import migrations, models


def card_fk(related_name: str):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name=related_name, to="clients.client"
    )


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0004_move_to_cards")]

    operations = [
        migrations.RemoveField(model_name="pointsaccount", name="client"),
        migrations.RemoveField(model_name="challengecompletion", name="client"),
        migrations.RemoveField(model_name="badgeaward", name="user"),
        migrations.RemoveField(model_name="walletaccount", name="user"),
        migrations.RenameField(model_name="pointsaccount", old_name="card", new_name="client"),
        migrations.RenameField(model_name="challengecompletion", old_name="card", new_name="client"),
        migrations.RenameField(model_name="badgeaward", old_name="card", new_name="client"),
        migrations.RenameField(model_name="walletaccount", old_name="card", new_name="client"),
        migrations.AlterField(
            model_name="pointsaccount", name="client", field=card_fk("points_accounts")
        ),
        migrations.AlterField(model_name="challengecompletion", name="client", field=card_fk("+")),
        migrations.AlterField(model_name="badgeaward", name="client", field=card_fk("badges")),
        migrations.AlterField(
            model_name="walletaccount", name="client", field=card_fk("wallet_accounts")
        ),
        migrations.AlterField(
            model_name="badgeaward",
            name="business",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.business"
            ),
        ),
        migrations.AlterField(
            model_name="walletaccount",
            name="business",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.business"
            ),
        ),
        migrations.AddConstraint(
            model_name="pointsaccount",
            constraint=models.UniqueConstraint(
                fields=("business", "client"), name="loyalty_one_points_account"
            ),
        ),
        migrations.AddConstraint(
            model_name="walletaccount",
            constraint=models.UniqueConstraint(
                fields=("client", "currency"), name="loyalty_one_wallet_per_card_currency"
            ),
        ),
        migrations.AddConstraint(
            model_name="badgeaward",
            constraint=models.UniqueConstraint(
                fields=("client", "badge"), name="loyalty_badge_once_per_card"
            ),
        ),
        migrations.AddConstraint(
            model_name="challengecompletion",
            constraint=models.UniqueConstraint(
                fields=("challenge", "client"), name="loyalty_challenge_once"
            ),
        ),
    ]
