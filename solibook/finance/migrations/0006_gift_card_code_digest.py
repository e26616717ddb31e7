"""Gift card codes are no longer stored: their SHA-256 and last four characters
are (the full code exists once, at sale). A voided card names its replacement."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def _normalise(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def digest_codes(apps, schema_editor):
    GiftCard = apps.get_model("finance", "GiftCard")
    for card in GiftCard.objects.all().only("pk", "code"):
        code = _normalise(card.code)
        GiftCard.objects.filter(pk=card.pk).update(
            code_digest=hashlib.sha256(code.encode()).hexdigest(),
            code_last4=code.replace("-", "")[-4:],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0005_test_mode_payments"),
    ]

    operations = [
        migrations.AddField(
            model_name="giftcard",
            name="code_digest",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="giftcard",
            name="code_last4",
            field=models.CharField(default="", max_length=4),
            preserve_default=False,
        ),
        migrations.RunPython(digest_codes, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="giftcard", name="gift_card_code_unique"),
        migrations.RemoveField(model_name="giftcard", name="code"),
        migrations.AlterField(
            model_name="giftcard",
            name="code_digest",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="giftcard",
            constraint=models.UniqueConstraint(
                fields=("code_digest",), name="gift_card_code_digest_unique"
            ),
        ),
        migrations.AddField(
            model_name="giftcard",
            name="voided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="giftcard",
            name="replaced_by",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replaces",
                to="finance.giftcard",
            ),
        ),
    ]
