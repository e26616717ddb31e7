"""The salon's branding moves from the former `crm` app to `catalog`.

Its table keeps its name (`crm_branding`). A database made before the move
already has the table and its rows: only the model's state moves. A fresh
database has no such table: it is created here. The content type follows
the model, so permissions and generic relations keep pointing at it.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def create_table_if_missing(apps, schema_editor):
    Branding = apps.get_model("catalog", "Branding")
    table = Branding._meta.db_table
    if table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(Branding)


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("catalog", "Branding"))


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label="catalog", model="branding").exists():
        types.filter(app_label="crm", model="branding").update(app_label="catalog")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_business_embed_origins"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Branding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "colour",
                            models.CharField(
                                default="#7a2e5a",
                                max_length=7,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB."
                                    )
                                ],
                                verbose_name="brand colour",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "business",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.business",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "crm_branding",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("business",), name="crm_branding_one_per_business"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_if_missing, drop_table),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
