"""The client API: the same services as the pages, roles, tenant isolation,
bad input."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from solibook.accounts.roles import Role
from solibook.clients.models import Client, ImportJob
from solibook.core.models import AuditEvent
from solibook.testing.clients import sign_in
from solibook.testing.factories import BusinessFactory, member

pytestmark = pytest.mark.django_db


def api(business, path):
    return f"/api/v1/businesses/{business.pk}/{path}"


@pytest.fixture
def owner(api_client, salon):
    return sign_in(api_client, salon.business, Role.OWNER)


def test_create_read_update_a_card(api_client, salon, owner):
    created = api_client.post(
        api(salon.business, "clients/"),
        {
            "first_name": "Anna",
            "phone": "06 12 34 56 78",
            "tags": ["VIP"],
            "birthday": "1990-05-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["phone"] == "+33612345678"
        and body["tags"] == ["VIP"]
        and body["visits"] == 0
        and body["currency"] == "EUR"
    )
    patched = api_client.patch(
        api(salon.business, f"clients/{body['id']}/"),
        {"allergies": "latex", "phone": "bad"},
        format="json",
    )
    assert patched.status_code == 400
    assert "phone" in patched.json()["error"]["fields"]
    with scopes_disabled():
        assert Client.objects.get().allergies == ""  # nothing half-written
    listed = api_client.get(api(salon.business, "clients/"), {"q": "anna"}).json()
    assert [row["first_name"] for row in listed["results"]] == ["Anna"]


def test_consents_notes_merge_and_erase(api_client, salon, owner):
    a = api_client.post(
        api(salon.business, "clients/"),
        {"first_name": "Anna", "phone": "+33612345678"},
        format="json",
    ).json()
    b = api_client.post(
        api(salon.business, "clients/"),
        {"first_name": "Anna B", "email": "anna@example.test"},
        format="json",
    ).json()
    assert (
        api_client.post(
            api(salon.business, f"clients/{b['id']}/consents/"),
            {"kind": "marketing", "granted": True},
            format="json",
        ).status_code
        == 201
    )
    assert (
        api_client.post(
            api(salon.business, f"clients/{b['id']}/notes/"), {"text": "hi"}, format="json"
        ).status_code
        == 201
    )
    merged = api_client.post(
        api(salon.business, "clients/merge/"),
        {"target_id": a["id"], "duplicate_id": b["id"]},
        format="json",
    )
    assert merged.status_code == 200
    assert merged.json()["email"] == "anna@example.test"
    assert merged.json()["consents"][0]["kind"] == "marketing"
    assert api_client.get(api(salon.business, f"clients/{b['id']}/")).status_code == 404
    assert api_client.post(api(salon.business, f"clients/{a['id']}/erase/")).status_code == 204
    assert api_client.get(api(salon.business, f"clients/{a['id']}/")).status_code == 404
    with scopes_disabled():
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"client.merge", "client.erase", "client.consent"} <= actions


def test_import_through_the_api_with_progress(
    api_client, salon, owner, django_capture_on_commit_callbacks
):
    upload = api_client.post(
        api(salon.business, "client-imports/"),
        {
            "file": SimpleUploadedFile(
                "c.csv", b"name,phone\nAnna,0612345678\nBob,12\n", "text/csv"
            ),
            "encoding": "auto",
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    job = upload.json()
    assert job["mapping"] == {"full_name": 0, "phone": 1} and job["total_rows"] == 2
    preview = api_client.post(
        api(salon.business, f"client-imports/{job['id']}/preview/"),
        {"mapping": job["mapping"]},
        format="json",
    ).json()
    assert preview["rows"][1]["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        started = api_client.post(
            api(salon.business, f"client-imports/{job['id']}/start/"),
            {"mapping": job["mapping"]},
            format="json",
        )
    assert started.status_code == 202
    done = api_client.get(api(salon.business, f"client-imports/{job['id']}/")).json()
    assert (done["state"], done["percent"], done["created_count"], done["error_count"]) == (
        "done",
        100,
        1,
        1,
    )
    again = api_client.post(
        api(salon.business, f"client-imports/{job['id']}/start/"),
        {"mapping": job["mapping"]},
        format="json",
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_started"


def test_bad_uploads_are_clear_400s(api_client, salon, owner):
    wrong = api_client.post(
        api(salon.business, "client-imports/"),
        {"file": SimpleUploadedFile("c.csv", "Имя\nАнна\n".encode("cp1251"))},
        format="multipart",
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "bad_encoding"
    missing = api_client.post(api(salon.business, "client-imports/"), {}, format="multipart")
    assert missing.status_code == 400
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_export_csv_and_xlsx(api_client, salon, owner):
    api_client.post(api(salon.business, "clients/"), {"first_name": "Anna"}, format="json")
    csv_response = api_client.get(api(salon.business, "clients/export/"), {"file_format": "csv"})
    assert csv_response.status_code == 200 and b"Anna" in csv_response.content
    xlsx = api_client.get(api(salon.business, "clients/export/"), {"file_format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 2


def test_segments_api(api_client, salon, owner):
    api_client.post(
        api(salon.business, "clients/"),
        {"first_name": "May", "birthday": "1990-05-02"},
        format="json",
    )
    api_client.post(
        api(salon.business, "clients/"),
        {"first_name": "June", "birthday": "1990-06-02"},
        format="json",
    )
    segment = api_client.post(
        api(salon.business, "segments/"), {"name": "May", "birthday_month": 5}, format="json"
    )
    assert segment.status_code == 201
    members = api_client.get(
        api(salon.business, f"segments/{segment.json()['id']}/clients/")
    ).json()
    assert [c["first_name"] for c in members["results"]] == ["May"]
    assert (
        api_client.post(
            api(salon.business, "segments/"), {"name": "x", "birthday_month": 13}, format="json"
        ).status_code
        == 400
    )


def test_custom_fields_and_consultations(api_client, salon, owner):
    field = api_client.post(
        api(salon.business, "client-fields/"), {"label": "Formula", "kind": "text"}, format="json"
    )
    assert field.status_code == 201 and field.json()["key"] == "formula"
    card = api_client.post(
        api(salon.business, "clients/"),
        {"first_name": "A", "custom_values": {"formula": "7.1"}},
        format="json",
    ).json()
    assert card["custom_values"] == {"formula": "7.1"}
    form = api_client.post(
        api(salon.business, "consultation-forms/"),
        {"name": "Colour", "questions": ["Allergies?", "Pregnant?"]},
        format="json",
    ).json()
    bad = api_client.post(
        api(salon.business, f"clients/{card['id']}/consultations/"),
        {"form_id": form["id"], "answers": ["no"]},
        format="json",
    )
    assert bad.status_code == 400
    good = api_client.post(
        api(salon.business, f"clients/{card['id']}/consultations/"),
        {"form_id": form["id"], "answers": ["no", "no"]},
        format="json",
    )
    assert good.status_code == 201 and good.json()["answers"][0] == {
        "question": "Allergies?",
        "answer": "no",
    }


def test_another_salons_cards_are_404(api_client, salon, owner):
    other = BusinessFactory()
    with scopes_disabled():
        theirs = Client.objects.create(business=other, first_name="Secret")
    assert api_client.get(api(salon.business, f"clients/{theirs.pk}/")).status_code == 404
    assert (
        api_client.patch(
            api(salon.business, f"clients/{theirs.pk}/"), {"first_name": "x"}, format="json"
        ).status_code
        == 404
    )
    assert api_client.post(api(salon.business, f"clients/{theirs.pk}/erase/")).status_code == 404
    mine = api_client.post(
        api(salon.business, "clients/"), {"first_name": "Mine"}, format="json"
    ).json()
    assert (
        api_client.post(
            api(salon.business, "clients/merge/"),
            {"target_id": mine["id"], "duplicate_id": theirs.pk},
            format="json",
        ).status_code
        == 404
    )
    with scopes_disabled():
        assert Client.objects.get(pk=theirs.pk).first_name == "Secret"


@pytest.mark.parametrize(
    ("role", "export", "erase", "manage"),
    [
        (Role.OWNER, True, True, True),
        (Role.MANAGER, True, True, True),
        (Role.RECEPTIONIST, False, False, True),
        (Role.MASTER, False, False, False),
        (Role.ACCOUNTANT, False, False, False),
    ],
)
def test_roles(api_client, salon, role, export, erase, manage):
    with scopes_disabled():
        card = Client.objects.create(business=salon.business, first_name="A")
    api_client.force_authenticate(member(salon.business, role))

    def expect(allowed, response):
        return (response.status_code != 403) if allowed else (response.status_code == 403)

    assert expect(export, api_client.get(api(salon.business, "clients/export/")))
    assert expect(manage, api_client.get(api(salon.business, "clients/")))
    assert expect(erase, api_client.post(api(salon.business, f"clients/{card.pk}/erase/")))


def test_staff_performance_api(api_client, salon, owner):
    response = api_client.get(
        api(salon.business, "staff/performance/"),
        {"location_id": salon.location.pk, "start": "2030-06-03", "end": "2030-06-09"},
    )
    assert response.status_code == 200
    lea = next(m for m in response.json()["masters"] if m["master_name"] == "Léa")
    assert lea["worked_minutes"] == 7 * 9 * 60 and lea["occupancy"] == 0.0
    assert (
        api_client.get(
            api(salon.business, "staff/performance/"),
            {"location_id": salon.location.pk, "start": "2030-06-09", "end": "2030-06-03"},
        ).status_code
        == 400
    )


def test_branding_api(api_client, salon, owner):
    assert api_client.get(api(salon.business, "branding/")).json() == {
        "colour": "#7a2e5a",
        "logo": "",
    }
    assert (
        api_client.patch(
            api(salon.business, "branding/"), {"colour": "#ABCDEF"}, format="json"
        ).json()["colour"]
        == "#abcdef"
    )
    bad = api_client.patch(api(salon.business, "branding/"), {"colour": "red"}, format="json")
    assert bad.status_code == 400 and "colour" in bad.json()["error"]["fields"]
