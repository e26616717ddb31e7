"""The fan-out cursor's one row exists from the start, so that two workers'
first passes never race to create it."""

from django.db import migrations


def create_cursor(apps, schema_editor):
    apps.get_model("developers", "FanOutCursor").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("developers", "0001_initial")]

    operations = [migrations.RunPython(create_cursor, migrations.RunPython.noop)]
