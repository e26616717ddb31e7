import solibook.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_catalog_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="embed_origins",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[solibook.core.validators.validate_embed_origins],
                verbose_name="sites that may embed the booking widget",
            ),
        ),
    ]
