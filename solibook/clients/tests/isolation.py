"""Business B's client-card objects, for platform/tests/test_isolation.py."""

from django_scopes import scopes_disabled

from solibook.clients.models import Client, CustomFieldDefinition, ImportJob, Segment


def objects_of_b(b) -> dict:
    with scopes_disabled():
        client = Client.objects.create(business=b, first_name="B's client")
        segment = Segment.objects.create(business=b, name="B's segment")
        job = ImportJob.objects.create(
            business=b, content="name\nx\n", encoding="utf-8", headers=["name"], total_rows=1
        )
        field = CustomFieldDefinition.objects.create(business=b, key="b_field", label="B")
    return {
        "client_id": client.pk,
        "segment_id": segment.pk,
        "job_id": job.pk,
        "field_id": field.pk,
    }
