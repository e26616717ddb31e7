"""The account's patch tests and consultation records moved to the client
card (clients 0003): booking's two duplicate models go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0010_appointment_client_language"),
        ("clients", "0003_requirements_from_booking"),
    ]

    operations = [
        migrations.DeleteModel(name="PatchTest"),
        migrations.DeleteModel(name="ConsultationRecord"),
    ]
