"""`IdempotencyRecord` moves from booking to the API shell, table and rows
unchanged: only Django's state learns the new owner. The table itself was
created by `booking.0001_initial` (on a fresh database too), so this
migration depends on it and changes nothing in the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("booking", "0008_appointment_deposit_amount_appointment_policy_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("scope", models.CharField(max_length=80)),
                        ("key", models.CharField(max_length=200)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("status_code", models.PositiveSmallIntegerField(null=True)),
                        ("response_body", models.JSONField(null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "db_table": "booking_idempotencyrecord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("scope", "key"), name="idempotency_unique_key"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
