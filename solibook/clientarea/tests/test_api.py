import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Status
from solibook.offers.models import PromoCode
from solibook.reviews.models import Review
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db


def draft_body(salon, hour=10, master=None):
    return {
        "location_id": salon.location.pk,
        "items": [{"service_id": salon.cut.pk, "master_id": master}],
        "start": paris(hour).isoformat(),
    }


def test_priced_slots_api(api_client, salon):
    response = api_client.get(
        f"/api/v1/locations/{salon.location.pk}/priced-slots/",
        {"service": salon.cut.pk, "date": MONDAY.isoformat(), "days": 1},
    )
    assert response.status_code == 200
    first = response.json()["slots"][0]
    assert (
        first["start"] == "2030-06-03T09:00:00+02:00"
        and first["discounted_amount"] == 4500
        and first["duration_minutes"] == 60
    )


def test_a_guest_books_through_the_draft_api(api_client, salon, django_capture_on_commit_callbacks):
    created = api_client.post("/api/v1/booking-drafts/", draft_body(salon), format="json")
    assert created.status_code == 201, created.json()
    token = created.json()["token"]
    assert (
        created.json()["total_amount"] == 4500
        and created.json()["cancellation_policy"]["late_fee_percent"] == 50
    )

    refused = api_client.post(f"/api/v1/booking-drafts/{token}/confirm/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_identified"
    with django_capture_on_commit_callbacks(execute=True):
        sent = api_client.post(
            f"/api/v1/booking-drafts/{token}/send-code/",
            {"name": "Ada", "channel": "email", "destination": "ada@example.test"},
            format="json",
        )
    assert sent.status_code == 200
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert (
        api_client.post(
            f"/api/v1/booking-drafts/{token}/verify/", {"code": code}, format="json"
        ).json()["contact_verified"]
        is True
    )
    confirmed = api_client.post(f"/api/v1/booking-drafts/{token}/confirm/", {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_a_slot_taken_is_409_with_alternatives(api_client, salon):
    assert (
        api_client.post(
            "/api/v1/booking-drafts/", draft_body(salon, master=salon.lea.pk), format="json"
        ).status_code
        == 201
    )
    taken = api_client.post(
        "/api/v1/booking-drafts/", draft_body(salon, master=salon.lea.pk), format="json"
    )
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "slot_taken" and taken.json()["error"]["alternatives"]


def test_a_clients_draft_is_invisible_to_others(api_client, salon):
    owner = UserFactory()
    api_client.force_authenticate(owner)
    token = api_client.post("/api/v1/booking-drafts/", draft_body(salon), format="json").json()[
        "token"
    ]
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/booking-drafts/{token}/").status_code == 404
    api_client.force_authenticate(owner)
    assert api_client.get(f"/api/v1/booking-drafts/{token}/").status_code == 200
    assert api_client.get("/api/v1/booking-drafts/not-a-token/").status_code == 404


def test_confirm_with_a_promo_code_and_cancel_gives_it_back(api_client, salon):
    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    created = api_client.post(
        f"/api/v1/businesses/{salon.business.pk}/promo-codes/",
        {"code": "spring", "discount_amount": 1000, "max_redemptions": 2},
        format="json",
    )
    assert created.status_code == 201 and created.json()["code"] == "SPRING"
    bad = api_client.post(
        f"/api/v1/businesses/{salon.business.pk}/promo-codes/",
        {"code": "x", "discount_percent": 10},
        format="json",
    )
    assert bad.status_code == 400 and "code" in bad.json()["error"]["fields"]

    client = UserFactory()
    api_client.force_authenticate(client)
    token = api_client.post("/api/v1/booking-drafts/", draft_body(salon), format="json").json()[
        "token"
    ]
    quoted = api_client.get(f"/api/v1/booking-drafts/{token}/", {"promo_code": "spring"})
    assert quoted.json()["promo_amount"] == 1000 and quoted.json()["total_amount"] == 3500
    confirmed = api_client.post(
        f"/api/v1/booking-drafts/{token}/confirm/", {"promo_code": "spring"}, format="json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["total_amount"] == 3500
    appointment_id = confirmed.json()["appointment_id"]
    with scopes_disabled():
        assert PromoCode.objects.get().redeemed_count == 1
    visits = api_client.get("/api/v1/me/visits/").json()
    assert [v["id"] for v in visits["upcoming"]] == [appointment_id]
    cancelled = api_client.post(
        f"/api/v1/me/visits/{appointment_id}/cancel/", {"reason": "ill"}, format="json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    with scopes_disabled():
        assert PromoCode.objects.get().redeemed_count == 0
    assert (
        api_client.post(
            f"/api/v1/me/visits/{appointment_id}/cancel/", {}, format="json"
        ).status_code
        == 400
    )


def test_reviews_flow_reply_report_and_moderation(api_client, salon):
    client = UserFactory()
    done = visit(salon, client)
    upcoming = visit(salon, client, hour=14, completed=False)
    api_client.force_authenticate(client)
    early = api_client.post(
        f"/api/v1/me/visits/{upcoming.pk}/review/", {"rating": 5}, format="json"
    )
    assert early.status_code == 400 and early.json()["error"]["code"] == "visit_not_completed"
    assert (
        api_client.post(
            f"/api/v1/me/visits/{done.pk}/review/", {"rating": 6}, format="json"
        ).status_code
        == 400
    )
    created = api_client.post(
        f"/api/v1/me/visits/{done.pk}/review/",
        {"rating": 4, "quality": 5, "text": "<script>alert(1)</script> Great"},
        format="json",
    )
    assert created.status_code == 201
    again = api_client.post(f"/api/v1/me/visits/{done.pk}/review/", {"rating": 5}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reviewed"
    review_id = created.json()["id"]

    api_client.force_authenticate(UserFactory())
    assert (
        api_client.post(
            f"/api/v1/me/visits/{done.pk}/review/", {"rating": 5}, format="json"
        ).status_code
        == 404
    )

    rating = api_client.get(f"/api/v1/salons/{salon.business.pk}/rating/").json()
    assert rating["count"] == 1 and rating["distribution"]["4"] == 1
    assert api_client.get(f"/api/v1/masters/{salon.lea.pk}/rating/").json()["count"] == 1

    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    assert (
        api_client.post(
            f"/api/v1/businesses/{salon.business.pk}/reviews/{review_id}/reply/",
            {"reply_text": "Thanks!"},
            format="json",
        ).status_code
        == 200
    )

    api_client.force_authenticate(None)
    assert (
        api_client.post(
            f"/api/v1/reviews/{review_id}/report/", {"reason": "offensive"}, format="json"
        ).status_code
        == 201
    )
    assert (
        api_client.post(
            f"/api/v1/reviews/{review_id}/report/", {"reason": "nonsense"}, format="json"
        ).status_code
        == 400
    )
    assert api_client.get("/api/v1/platform/review-moderation/").status_code in (401, 403)

    staff = UserFactory(is_staff=True)
    api_client.force_authenticate(staff)
    queue = api_client.get("/api/v1/platform/review-moderation/").json()
    assert [r["id"] for r in queue] == [review_id] and queue[0]["open_reports"] == 1
    assert (
        api_client.post(
            f"/api/v1/platform/reviews/{review_id}/moderate/", {"action": "hide"}, format="json"
        ).json()["status"]
        == "hidden"
    )
    assert api_client.get("/api/v1/platform/review-moderation/").json() == []
    assert api_client.get(f"/api/v1/salons/{salon.business.pk}/rating/").json()["count"] == 0
    assert api_client.get(f"/api/v1/salons/{salon.business.pk}/reviews/").json()["results"] == []
    with scopes_disabled():
        assert Review.objects.get().status == "hidden"


def test_one_review_per_visit_is_a_database_rule(salon):
    from django.db import IntegrityError, transaction

    client = UserFactory()
    done = visit(salon, client)
    with scopes_disabled():
        Review.objects.create(
            business=salon.business,
            appointment=done,
            location=salon.location,
            author_name="A",
            rating=5,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.create(
                business=salon.business,
                appointment=done,
                location=salon.location,
                author_name="B",
                rating=4,
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.create(
                business=salon.business,
                appointment=visit(salon, client, hour=15),
                location=salon.location,
                author_name="C",
                rating=0,
            )


def test_favourites_and_export(api_client, salon):
    user = UserFactory()
    api_client.force_authenticate(user)
    added = api_client.post(
        "/api/v1/me/favourites/", {"business_id": salon.business.pk}, format="json"
    )
    assert added.status_code == 201
    assert (
        api_client.post(
            "/api/v1/me/favourites/", {"business_id": salon.business.pk}, format="json"
        ).json()["id"]
        == added.json()["id"]
    )
    assert (
        api_client.post(
            "/api/v1/me/favourites/", {"master_id": salon.lea.pk}, format="json"
        ).status_code
        == 201
    )
    assert api_client.post("/api/v1/me/favourites/", {}, format="json").status_code == 400
    assert (
        api_client.post(
            "/api/v1/me/favourites/", {"business_id": 999999}, format="json"
        ).status_code
        == 404
    )
    assert len(api_client.get("/api/v1/me/favourites/").json()) == 2
    assert api_client.delete(f"/api/v1/me/favourites/{added.json()['id']}/").status_code == 204
    export = api_client.get("/api/v1/me/export/").json()
    assert export["profile"]["email"] == user.email and len(export["favourites"]) == 1


def test_reschedule_a_visit_through_the_api(api_client, salon):
    user = UserFactory()
    appointment = visit(salon, user, completed=False)
    api_client.force_authenticate(user)
    moved = api_client.post(
        f"/api/v1/me/visits/{appointment.pk}/reschedule/",
        {"start": paris(16).isoformat()},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    with scopes_disabled():
        assert (
            Appointment.objects.get().starts_at == paris(16)
            and Appointment.objects.get().status == Status.CONFIRMED
        )
    api_client.force_authenticate(UserFactory())
    assert (
        api_client.post(
            f"/api/v1/me/visits/{appointment.pk}/reschedule/",
            {"start": paris(12).isoformat()},
            format="json",
        ).status_code
        == 404
    )


def test_office_offers_api_is_tenant_scoped(api_client, salon, two_salons):
    other, *_ = two_salons
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    rule = api_client.post(
        f"/api/v1/businesses/{salon.business.pk}/off-peak-rules/",
        {"weekdays": [0, 1], "start": "14:00", "end": "16:00", "discount_percent": 15},
        format="json",
    )
    assert rule.status_code == 201
    bad = api_client.post(
        f"/api/v1/businesses/{salon.business.pk}/off-peak-rules/",
        {"weekdays": [0], "start": "16:00", "end": "14:00", "discount_percent": 15},
        format="json",
    )
    assert bad.status_code == 400 and "end" in bad.json()["error"]["fields"]
    public = api_client.get(f"/api/v1/salons/{salon.business.pk}/offers/").json()
    assert public["badges"] == ["−15% off-peak"]
    assert api_client.get(f"/api/v1/businesses/{other.pk}/off-peak-rules/").status_code == 404
    receptionist = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(receptionist)
    assert (
        api_client.post(
            f"/api/v1/businesses/{salon.business.pk}/promo-codes/",
            {"code": "NOPE1", "discount_percent": 5},
            format="json",
        ).status_code
        == 403
    )
