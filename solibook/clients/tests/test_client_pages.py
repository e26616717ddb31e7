"""The client pages: list and search, card and its forms, segments, import
with its progress, exports, staff performance, branding and custom fields."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Branding
from solibook.clients import services
from solibook.clients.models import Client, ClientConsent, ImportJob, Segment
from solibook.core.models import AuditEvent
from solibook.core.tenancy import business_scope
from solibook.testing.clients import sign_in
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def office(salon, path=""):
    return f"/en/office/{salon.business.slug}/{path}"


def card(salon, **data):
    with business_scope(salon.business):
        return services.client_create(business=salon.business, actor=None, data=data)


@pytest.fixture
def owner(client, salon):
    return sign_in(client, salon.business, Role.OWNER)


def test_the_list_searches_as_you_type_with_htmx(client, salon, owner):
    card(salon, first_name="Anna", last_name="Petrova", phone="+33612345678")
    card(salon, first_name="Bob", email="bob@example.test")
    page = client.get(office(salon, "clients/"))
    assert (
        page.status_code == 200
        and "Anna" in page.content.decode()
        and "Bob" in page.content.decode()
    )
    fragment = client.get(office(salon, "clients/"), {"q": "0612"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "Anna" in html and "Bob" not in html and "<html" not in html


def test_create_edit_and_see_a_card(client, salon, owner):
    response = client.post(
        office(salon, "clients/new/"),
        {
            "first_name": "Anna",
            "phone": "06 12 34 56 78",
            "tags": "VIP, colour",
            "gender": "female",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        anna = Client.objects.get()
    assert str(anna.phone) == "+33612345678"
    bad = client.post(
        office(salon, f"clients/{anna.pk}/edit/"), {"first_name": "Anna", "phone": "123"}
    )
    assert bad.status_code == 200 and "is not a valid phone number" in bad.content.decode()
    detail = client.get(office(salon, f"clients/{anna.pk}/"))
    html = detail.content.decode()
    assert "+33612345678" in html and "VIP" in html


def test_notes_consents_patch_tests_on_the_card(client, salon, owner):
    anna = card(salon, first_name="Anna")
    assert (
        client.post(
            office(salon, f"clients/{anna.pk}/notes/"), {"text": "Prefers mornings"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            office(salon, f"clients/{anna.pk}/consents/"), {"kind": "marketing", "granted": "1"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            office(salon, f"clients/{anna.pk}/patch-tests/"),
            {
                "service_id": salon.colour.pk,
                "taken_at": "2030-05-01",
                "valid_until": "2030-11-01",
                "passed": "on",
            },
        ).status_code
        == 302
    )
    refused = client.post(
        office(salon, f"clients/{anna.pk}/patch-tests/"),
        {"service_id": salon.colour.pk, "taken_at": "2030-05-01", "valid_until": "2030-04-01"},
    )
    assert (
        refused.status_code == 400
        and "The end must be after the start." in refused.content.decode()
    )
    html = client.get(office(salon, f"clients/{anna.pk}/")).content.decode()
    assert "Prefers mornings" in html and "granted" in html and "Colour" in html
    with scopes_disabled():
        assert ClientConsent.objects.get().recorded_by == owner


def test_merge_and_erase_from_the_card_are_audited(client, salon, owner):
    a = card(salon, first_name="Anna", phone="+33612345678")
    b = card(salon, first_name="Anna bis", email="anna@example.test")
    assert (
        client.post(office(salon, f"clients/{a.pk}/merge/"), {"duplicate_id": b.pk}).status_code
        == 302
    )
    assert (
        client.post(office(salon, f"clients/{a.pk}/erase/"), {}).status_code == 302
    )  # not confirmed
    with scopes_disabled():
        assert Client.objects.get(pk=a.pk).erased_at is None
    assert (
        client.post(office(salon, f"clients/{a.pk}/erase/"), {"confirm": "erase"}).status_code
        == 302
    )
    with scopes_disabled():
        assert Client.objects.get(pk=a.pk).erased_at is not None
        assert set(
            AuditEvent.objects.filter(business=salon.business).values_list("action", flat=True)
        ) >= {"client.merge", "client.erase"}
    assert client.get(office(salon, f"clients/{a.pk}/")).status_code == 404


def test_a_receptionist_cannot_erase_or_export(client, salon):
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    anna = card(salon, first_name="Anna")
    assert client.get(office(salon, f"clients/{anna.pk}/")).status_code == 200
    assert (
        client.post(office(salon, f"clients/{anna.pk}/erase/"), {"confirm": "erase"}).status_code
        == 403
    )
    assert client.get(office(salon, "clients/export/?format=csv")).status_code == 403


def test_exports_csv_and_xlsx_all_or_a_segment(client, salon, owner):
    card(salon, first_name="=cmd|' /C calc'!A0", phone="+33612345678")
    vip = card(salon, first_name="Zoé", email="z@example.test")
    csv_body = client.get(office(salon, "clients/export/?format=csv")).content.decode("utf-8-sig")
    assert "'=cmd" in csv_body  # no formula reaches a spreadsheet
    assert "Zoé" in csv_body
    with business_scope(salon.business):
        services.client_tags_set(business=salon.business, client=vip, names=["VIP"])
        segment = services.segment_save(
            business=salon.business, actor=None, name="VIP", filters={"tag_id": vip.tags.get().pk}
        )
    response = client.get(office(salon, f"clients/export/?format=xlsx&segment={segment.pk}"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "Zoé"
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="client.export").count() == 2
    assert client.get(office(salon, "clients/export/?format=pdf")).status_code == 404


def test_segments_page_saves_and_lists(client, salon, owner):
    anna = card(salon, first_name="Anna", birthday="1990-05-01")
    card(salon, first_name="Bob", birthday="1990-07-01")
    response = client.post(
        office(salon, "segments/"), {"name": "May birthdays", "birthday_month": "5"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        segment = Segment.objects.get()
    html = client.get(office(salon, f"segments/{segment.pk}/")).content.decode()
    assert "Anna" in html and "Bob" not in html
    assert client.get(office(salon, "segments/")).status_code == 200
    spend = client.post(office(salon, "segments/"), {"name": "Spenders", "spend_above": "45.50"})
    assert spend.status_code == 302
    with scopes_disabled():
        assert Segment.objects.get(name="Spenders").spend_above == 4550
    assert anna


def test_import_upload_mapping_preview_and_progress(
    client, salon, owner, django_capture_on_commit_callbacks
):
    data = b"Name;Phone;Email\nAnna Petrova;06 12 34 56 78;anna@example.test\nBad;12;\n"
    response = client.post(
        office(salon, "clients/import/"),
        {"file": SimpleUploadedFile("c.csv", data, "text/csv"), "encoding": "auto"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        job = ImportJob.objects.get()
    mapping_page = client.get(response["Location"]).content.decode()
    assert "Anna" in mapping_page and "is not a valid phone number" in mapping_page  # the preview
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            office(salon, f"clients/import/{job.pk}/"),
            {"action": "start", "full_name": "0", "phone": "1", "email": "2"},
        )
    assert started.status_code == 302
    with scopes_disabled():
        job.refresh_from_db()
        assert (job.state, job.created_count, job.error_count) == ("done", 1, 1)
    progress = client.get(office(salon, f"clients/import/{job.pk}/progress/")).content.decode()
    assert 'value="100"' in progress and "hx-trigger" not in progress  # finished: polling stops


def test_a_wrong_encoding_is_a_clear_form_error(client, salon, owner):
    raw = "Имя,Телефон\nАнна,+79161234567\n".encode("cp1251")
    response = client.post(
        office(salon, "clients/import/"),
        {"file": SimpleUploadedFile("c.csv", raw, "text/csv"), "encoding": "auto"},
    )
    assert response.status_code == 200
    assert "The file is not in UTF-8" in response.content.decode()


def test_staff_performance_page(client, salon, owner):
    response = client.get(
        office(salon, "staff/performance/"),
        {"location": salon.location.pk, "start": "2030-06-01", "end": "2030-06-30"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Léa" in html and "Marc" in html
    assert (
        "Choose a period"
        in client.get(
            office(salon, "staff/performance/"),
            {"location": salon.location.pk, "start": "2030-06-30", "end": "2030-06-01"},
        ).content.decode()
    )


def test_branding_and_custom_fields_pages(client, salon, owner):
    assert (
        client.post(office(salon, "settings/branding/"), {"colour": "#112233"}).status_code == 302
    )
    with scopes_disabled():
        assert Branding.objects.get().colour == "#112233"
    bad_logo = client.post(
        office(salon, "settings/branding/"),
        {"colour": "#112233", "logo": SimpleUploadedFile("l.png", b"not an image", "image/png")},
    )
    assert bad_logo.status_code == 200
    assert (
        client.post(
            office(salon, "settings/client-fields/"), {"label": "Formula", "kind": "text"}
        ).status_code
        == 302
    )
    form = client.get(office(salon, "clients/new/")).content.decode()
    assert "Formula" in form
    assert (
        client.post(
            office(salon, "settings/consultation-forms/"),
            {"name": "Colour", "questions": "Allergies?\nPregnant?"},
        ).status_code
        == 302
    )


def test_a_master_sees_only_their_clients_and_what_they_need(client, salon):
    from solibook.testing.factories import UserFactory

    user = UserFactory()
    with scopes_disabled():
        from solibook.accounts.models import Membership

        Membership.objects.create(business=salon.business, user=user, role=Role.MASTER)
        salon.lea.user = user
        salon.lea.save()
    client.force_login(user)
    from solibook.testing.booking import book

    appointment = book(
        salon,
        hour=10,
        client_name="Anna",
        client_phone="+33612345678",
        client_email="anna@example.test",
    )
    other = card(salon, first_name="Zed", email="zed@example.test")
    with scopes_disabled():
        anna = Appointment.objects.get(pk=appointment.pk).client_card
        Appointment.objects.filter(pk=appointment.pk).update(status=Status.CONFIRMED)
    html = client.get(office(salon, f"clients/{anna.pk}/")).content.decode()
    assert "Anna" in html and "anna@example.test" not in html
    assert client.get(office(salon, f"clients/{other.pk}/")).status_code == 404
    assert client.get(office(salon, "clients/")).status_code == 403


@pytest.mark.parametrize(
    ("lang", "text"), [("fr", "Nouveau client"), ("ru", "Новый клиент"), ("ar", "عميل جديد")]
)
def test_the_client_pages_speak_french_russian_and_arabic(client, salon, owner, lang, text):
    html = client.get(f"/{lang}/office/{salon.business.slug}/clients/").content.decode()
    assert text in html
    assert ('dir="rtl"' in html) == (lang == "ar")


def test_an_uploaded_logo_is_stored_without_its_gps_metadata(client, salon, owner):
    from PIL import Image

    from solibook.core.tests.test_input import _jpeg_with_gps

    salon.business.horizon_days = (
        365  # the booking fixture's ten years is more than the settings allow
    )
    salon.business.save(update_fields=["horizon_days"])
    upload = SimpleUploadedFile("logo.jpg", _jpeg_with_gps(), "image/jpeg")
    assert (
        client.post(
            office(salon, "settings/branding/"), {"colour": "#112233", "logo": upload}
        ).status_code
        == 302
    )
    salon.business.refresh_from_db()
    with salon.business.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # the GPS position the camera wrote is gone
