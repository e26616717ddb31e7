"""Step 2 of 3: every points account, wallet, badge and challenge completion
moves from the online account to that account's card at the salon (found or
created). A wallet was platform-wide: its rows are split by the salon that
wrote them (a credit without a salon goes to the salon where the person
has a card, the oldest first; without any card it cannot be placed and is
dropped with its account)."""

from django.db import migrations

from solibook.clients.migrating import historical_card_for


def forwards(apps, schema_editor):
    cache: dict = {}
    PointsAccount = apps.get_model("loyalty", "PointsAccount")
    ChallengeCompletion = apps.get_model("loyalty", "ChallengeCompletion")
    BadgeAward = apps.get_model("loyalty", "BadgeAward")
    WalletAccount = apps.get_model("loyalty", "WalletAccount")
    WalletTransaction = apps.get_model("loyalty", "WalletTransaction")
    Client = apps.get_model("clients", "Client")

    for row in PointsAccount._base_manager.all():
        row.card = historical_card_for(apps, cache, row.business_id, row.client_id)
        row.save(update_fields=["card"])
    for row in ChallengeCompletion._base_manager.all():
        row.card = historical_card_for(apps, cache, row.business_id, row.client_id)
        row.save(update_fields=["card"])
    for row in BadgeAward._base_manager.all():
        business_id = row.business_id or (
            Client._base_manager.filter(user_id=row.user_id)
            .order_by("id")
            .values_list("business_id", flat=True)
            .first()
        )
        if business_id is None:
            row.delete()
            continue
        row.business_id = business_id
        row.card = historical_card_for(apps, cache, business_id, row.user_id)
        row.save(update_fields=["business", "card"])
    for account in list(WalletAccount._base_manager.all()):
        rows = list(WalletTransaction._base_manager.filter(account=account))
        fallback = (
            Client._base_manager.filter(user_id=account.user_id)
            .order_by("id")
            .values_list("business_id", flat=True)
            .first()
        )
        by_business: dict = {}
        for tx in rows:
            business_id = tx.business_id or fallback
            if business_id is None:
                tx.delete()
                continue
            by_business.setdefault(business_id, []).append(tx)
        for business_id, txs in by_business.items():
            card = historical_card_for(apps, cache, business_id, account.user_id)
            target = WalletAccount._base_manager.filter(
                card=card, currency=account.currency
            ).first() or WalletAccount._base_manager.create(
                user_id=account.user_id,
                card=card,
                business_id=business_id,
                currency=account.currency,
            )
            for tx in txs:
                tx.account = target
                tx.business_id = business_id
                tx.save(update_fields=["account", "business"])
        if not WalletTransaction._base_manager.filter(account=account).exists() and (
            account.card_id is None
        ):
            account.delete()


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0003_card_fields"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
