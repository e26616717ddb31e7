"""API and pages: the same services behind both, roles, isolation, bad input."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Source, Status
from solibook.finance.models import Checkout, CheckoutLine, LedgerEntry, Payment, Refund
from solibook.finance.tests.conftest import WEBHOOK_SECRET
from solibook.finance.tests.helpers import books_balance
from solibook.finance.tests.stripe_fake import sign
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def url(salon, rest):
    return f"/api/v1/businesses/{salon.business.pk}/finance/{rest}"


def test_quote_then_checkout_through_the_api(salon, api_client):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    appointment = book(salon)
    body = {
        "location_id": salon.location.pk,
        "appointment_id": appointment.pk,
        "tips": [{"master_id": salon.lea.pk, "amount": 300}],
    }
    quote = api_client.post(url(salon, "checkouts/quote/"), body, format="json").json()
    assert quote["total"] == 4800 and quote["tax_total"] == 750
    pay = {
        **body,
        "shown_total": quote["total"],
        "currency": "EUR",
        "tenders": [{"kind": "cash", "amount": 1800}, {"kind": "card", "amount": 3000}],
    }
    response = api_client.post(
        url(salon, "checkouts/"), pay, format="json", HTTP_IDEMPOTENCY_KEY="co-1"
    )
    assert response.status_code == 201, response.json()
    again = api_client.post(
        url(salon, "checkouts/"), pay, format="json", HTTP_IDEMPOTENCY_KEY="co-1"
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    with scopes_disabled():
        assert Checkout.objects.count() == 1
    assert books_balance(salon.business)
    checkout_id = response.json()["id"]
    pdf = api_client.get(url(salon, f"checkouts/{checkout_id}/receipt/"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_checkouts_are_clear_4xx_and_write_nothing(salon, api_client):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    appointment = book(salon)
    base = {"location_id": salon.location.pk, "appointment_id": appointment.pk, "currency": "EUR"}
    changed = api_client.post(
        url(salon, "checkouts/"),
        {**base, "shown_total": 1, "tenders": [{"kind": "cash", "amount": 1}]},
        format="json",
    )
    assert (
        changed.status_code == 409
        and changed.json()["error"]["code"] == "price_changed"
        and changed.json()["error"]["total"] == 4500
    )
    split = api_client.post(
        url(salon, "checkouts/"),
        {**base, "shown_total": 4500, "tenders": [{"kind": "cash", "amount": 100}]},
        format="json",
    )
    assert split.status_code == 400 and split.json()["error"]["code"] == "split_mismatch"
    currency = api_client.post(
        url(salon, "checkouts/"),
        {
            **base,
            "currency": "USD",
            "shown_total": 4500,
            "tenders": [{"kind": "cash", "amount": 4500}],
        },
        format="json",
    )
    assert currency.status_code == 400 and currency.json()["error"]["code"] == "currency_mismatch"
    negative = api_client.post(
        url(salon, "checkouts/"),
        {**base, "shown_total": 4500, "tenders": [{"kind": "cash", "amount": -4500}]},
        format="json",
    )
    assert negative.status_code == 400
    with scopes_disabled():
        assert not LedgerEntry.objects.exists() and not Checkout.objects.exists()


def test_a_sales_payment_goes_back_only_by_line_through_the_api(salon, api_client):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    appointment = book(salon)
    done = api_client.post(
        url(salon, "checkouts/"),
        {
            "location_id": salon.location.pk,
            "appointment_id": appointment.pk,
            "currency": "EUR",
            "shown_total": 4500,
            "tenders": [{"kind": "card", "amount": 4500}],
        },
        format="json",
    ).json()
    payment_id = done["payments"][0]["id"]
    whole = api_client.post(
        url(salon, f"payments/{payment_id}/refunds/"),
        {"amount": 4500, "reason": "client_request"},
        format="json",
    )
    assert whole.status_code == 400 and whole.json()["error"]["code"] == "refund_by_line"
    with scopes_disabled():
        assert not Refund.objects.filter(payment_id=payment_id).exists()
        line = CheckoutLine.objects.get(checkout_id=done["id"])
    by_line = api_client.post(
        url(salon, f"checkouts/{done['id']}/line-refunds/"),
        {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "client_request"},
        format="json",
    )
    assert by_line.status_code == 201 and by_line.json()["amount"] == 4500
    again = api_client.post(
        url(salon, f"checkouts/{done['id']}/line-refunds/"),
        {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "client_request"},
        format="json",
    )
    assert again.status_code == 400
    assert books_balance(salon.business)


def test_roles(salon, api_client):
    appointment = book(salon)
    body = {
        "location_id": salon.location.pk,
        "appointment_id": appointment.pk,
        "currency": "EUR",
        "shown_total": 4500,
        "tenders": [{"kind": "cash", "amount": 4500}],
    }
    api_client.force_authenticate(member(salon.business, Role.MASTER))
    assert api_client.post(url(salon, "checkouts/"), body, format="json").status_code == 403
    assert api_client.get(url(salon, "checkouts/")).status_code == 403
    api_client.force_authenticate(member(salon.business, Role.ACCOUNTANT))
    assert api_client.get(url(salon, "checkouts/")).status_code == 200
    assert api_client.get(url(salon, "ledger/balances/")).status_code == 200
    assert api_client.post(url(salon, "checkouts/"), body, format="json").status_code == 403
    receptionist = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(receptionist)
    done = api_client.post(url(salon, "checkouts/"), body, format="json").json()
    refund = api_client.post(
        url(salon, f"payments/{done['payments'][0]['id']}/refunds/"),
        {"amount": 10, "reason": "goodwill"},
        format="json",
    )
    assert refund.status_code == 403  # refunds are the owner's or manager's


def test_another_business_objects_are_404(salon, api_client):
    other = BusinessFactory()
    LocationFactory(business=other)
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    mine = book(salon)
    done = api_client.post(
        url(salon, "checkouts/"),
        {
            "location_id": salon.location.pk,
            "appointment_id": mine.pk,
            "currency": "EUR",
            "shown_total": 4500,
            "tenders": [{"kind": "cash", "amount": 4500}],
        },
        format="json",
    ).json()
    intruder = member(other, Role.OWNER)
    api_client.force_authenticate(intruder)
    theirs = f"/api/v1/businesses/{other.pk}/finance/"
    assert api_client.get(f"{theirs}checkouts/{done['id']}/").status_code == 404
    assert api_client.get(f"{theirs}checkouts/{done['id']}/receipt/").status_code == 404
    assert (
        api_client.post(
            f"{theirs}payments/{done['payments'][0]['id']}/refunds/",
            {"amount": 1, "reason": "goodwill"},
            format="json",
        ).status_code
        == 404
    )
    assert api_client.get(url(salon, "checkouts/")).status_code == 404


def test_webhook_endpoint_verifies_signatures(deposit_salon, fake_stripe, client):
    payload = fake_stripe.event(
        "payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent", "metadata": {}}
    )
    bad = client.post(
        "/api/v1/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=deadbeef",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "webhook_bad_signature"
    good = client.post(
        "/api/v1/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, WEBHOOK_SECRET),
    )
    assert good.status_code == 200 and good.json() == {"result": "ignored"}
    replay = client.post(
        "/api/v1/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, WEBHOOK_SECRET),
    )
    assert replay.json() == {"result": "duplicate"}


def test_client_pays_the_deposit_through_the_api(deposit_salon, fake_stripe, api_client):
    client = UserFactory()
    appointment = book(deposit_salon, account=client, source=Source.MARKETPLACE)
    api_client.force_authenticate(client)
    response = api_client.post(f"/api/v1/appointments/{appointment.pk}/deposit/")
    assert response.status_code == 200, response.json()
    assert (
        response.json()["client_secret"].startswith("pi_")
        and response.json()["stripe_account"] == "acct_salon123"
    )
    api_client.force_authenticate(UserFactory())
    assert api_client.post(f"/api/v1/appointments/{appointment.pk}/deposit/").status_code == 404


def test_pages_checkout_flow(salon, client):
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    appointment = book(salon)
    base = f"/en/office/{salon.business.slug}/finance/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}checkout/?appointment={appointment.pk}")
    assert page.status_code == 200
    form = {
        "appointment": appointment.pk,
        "location": salon.location.pk,
        "pay_cash": "20",
        "pay_card": "25",
        "language": "ar",
    }
    quoted = client.post(f"{base}checkout/", {**form, "action": "quote"})
    assert quoted.status_code == 200 and b"checkout-to-pay" in quoted.content
    done = client.post(f"{base}checkout/", {**form, "action": "complete", "shown_total": "4500"})
    assert done.status_code == 302, done.content.decode()[:2000]
    with scopes_disabled():
        checkout = Checkout.objects.get()
        assert Payment.objects.filter(checkout=checkout).count() == 2
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED
    receipt = client.get(f"{base}checkouts/{checkout.pk}/receipt/")
    assert receipt.status_code == 200 and b'dir="rtl"' in receipt.content
    pdf = client.get(f"{base}checkouts/{checkout.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for page in (
        "payments/",
        "gift-cards/",
        "catalogue/",
        "settings/",
        f"checkouts/{checkout.pk}/",
    ):
        assert client.get(base + page).status_code == 200, page


def test_page_refuses_a_changed_price_with_the_form(salon, client):
    client.force_login(member(salon.business, Role.OWNER))
    appointment = book(salon)
    base = f"/en/office/{salon.business.slug}/finance/"
    response = client.post(
        f"{base}checkout/",
        {
            "appointment": appointment.pk,
            "location": salon.location.pk,
            "pay_cash": "40",
            "action": "complete",
            "shown_total": "4000",
        },
    )
    assert response.status_code == 200 and b"The price has changed" in response.content
    with scopes_disabled():
        assert not Checkout.objects.exists()


def test_page_bad_decimal_is_a_form_error_not_a_500(salon, client):
    client.force_login(member(salon.business, Role.OWNER))
    appointment = book(salon)
    base = f"/en/office/{salon.business.slug}/finance/"
    response = client.post(
        f"{base}checkout/",
        {
            "appointment": appointment.pk,
            "location": salon.location.pk,
            "pay_cash": "12.3456",
            "action": "quote",
        },
    )
    assert response.status_code == 200 and b"is-invalid" in response.content
