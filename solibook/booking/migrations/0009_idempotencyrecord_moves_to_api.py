"""`IdempotencyRecord` now belongs to the API shell (`api.0001_initial`): booking
forgets it in Django's state only; the table and its rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0008_appointment_deposit_amount_appointment_policy_and_more"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyRecord")],
            database_operations=[],
        ),
    ]
