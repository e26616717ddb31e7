"""Patch tests and consultations live on the salon's client card only (issue
#15, point 3): `booking.PatchTest` and `booking.ConsultationRecord` (on the
online account) move to `ClientPatchTest` and `ConsultationAnswer` on that
account's card at the salon (found or created); booking then drops its two
models. A consultation record keeps its answers as questions and answers of
a form for its service (one is made when the salon has none), and its
approval (`approved`: what the desk records is approved)."""

from django.db import migrations, models

from solibook.clients.migrating import historical_card_for


def forwards(apps, schema_editor):
    cache: dict = {}
    PatchTest = apps.get_model("booking", "PatchTest")
    ConsultationRecord = apps.get_model("booking", "ConsultationRecord")
    ClientPatchTest = apps.get_model("clients", "ClientPatchTest")
    ConsultationForm = apps.get_model("clients", "ConsultationForm")
    ConsultationAnswer = apps.get_model("clients", "ConsultationAnswer")
    for test in PatchTest._base_manager.all():
        ClientPatchTest._base_manager.create(
            business_id=test.business_id,
            client=historical_card_for(apps, cache, test.business_id, test.client_id),
            service_id=test.service_id,
            taken_at=test.taken_at.date(),
            valid_until=test.valid_until.date(),
            passed=test.passed,
        )
    for record in ConsultationRecord._base_manager.select_related("service"):
        answers = record.answers if isinstance(record.answers, dict) else {}
        form = (
            ConsultationForm._base_manager.filter(
                business_id=record.business_id, service_id=record.service_id
            )
            .order_by("id")
            .first()
        )
        if form is None:
            form = ConsultationForm._base_manager.create(
                business_id=record.business_id,
                service_id=record.service_id,
                name=record.service.name[:120],
                questions=[str(q) for q in answers],
            )
        row = ConsultationAnswer._base_manager.create(
            business_id=record.business_id,
            client=historical_card_for(apps, cache, record.business_id, record.client_id),
            form=form,
            answers=[{"question": str(q), "answer": str(a)} for q, a in answers.items()],
            approved=record.approved,
        )
        ConsultationAnswer._base_manager.filter(pk=row.pk).update(created_at=record.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("booking", "0010_appointment_client_language"),
        ("clients", "0002_one_card_per_person"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultationanswer",
            name="approved",
            field=models.BooleanField(default=True, verbose_name="approved"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
