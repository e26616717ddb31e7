from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.billing import selectors, services
from solibook.billing.models import Charge, Invoice
from solibook.testing.booking import client_books
from solibook.testing.clients import pages_as
from solibook.testing.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db


def overdue_invoice(business) -> Invoice:
    long_ago = timezone.now() - timedelta(days=selectors.read_only_after_days() + 30)
    services.charge_record(
        business=business,
        kind="sms",
        amount=900,
        currency=business.currency,
        description="SMS",
        source="sms:old",
        now=long_ago,
    )
    return services.invoice_issue(business=business, now=long_ago)


def test_owner_upgrades_sees_the_invoice_and_downloads_its_pdf(salon):
    pages = pages_as(salon.business)
    slug = salon.business.slug
    services.subscription_start(business=salon.business, plan_code="free")
    page = pages.get(reverse("billing:office", args=[slug]))
    assert page.status_code == 200 and b'data-plan="pro"' in page.content
    answer = pages.post(reverse("billing:plan_change", args=[slug]), {"plan": "pro"}, follow=True)
    assert selectors.plan_of(salon.business).code == "pro"
    assert "Pro" in answer.content.decode()
    invoice = services.invoice_issue(business=salon.business)
    detail = pages.get(reverse("billing:invoice", args=[slug, invoice.pk]))
    assert invoice.number in detail.content.decode()
    pdf = pages.get(reverse("billing:invoice_pdf", args=[slug, invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert invoice.number in pdf["Content-Disposition"]


def test_a_plan_of_another_currency_or_unknown_is_refused_on_the_page(salon):
    pages = pages_as(salon.business)
    answer = pages.post(
        reverse("billing:plan_change", args=[salon.business.slug]), {"plan": "gold"}, follow=True
    )
    assert "Choose one of the plans on offer." in answer.content.decode()
    assert selectors.subscription_of(salon.business) is None


def test_another_salons_invoice_is_not_found(salon):
    other = BusinessFactory()
    invoice = overdue_invoice(other)
    pages = pages_as(salon.business)
    for name in ("billing:invoice", "billing:invoice_pdf"):
        assert pages.get(reverse(name, args=[salon.business.slug, invoice.pk])).status_code == 404
    assert (
        pages.post(
            reverse("billing:invoice_pay", args=[salon.business.slug, invoice.pk])
        ).status_code
        == 404
    )


def test_overdue_invoice_makes_the_back_office_read_only_but_clients_still_book(salon):
    invoice = overdue_invoice(salon.business)
    pages = pages_as(salon.business)
    slug = salon.business.slug
    home = pages.get(reverse("billing:office", args=[slug]))
    assert 'data-testid="billing-banner"' in home.content.decode()
    url = reverse("catalog:business_settings", args=[slug])
    refused = pages.post(url, {"name": "Renamed"}, follow=True)
    text = refused.content.decode()
    assert f"read-only until invoice {invoice.number} is paid" in text
    assert 'data-testid="billing-banner"' in text
    salon.business.refresh_from_db()
    assert salon.business.name != "Renamed"
    # a client still books on the marketplace
    client = UserFactory()
    appointment = client_books(salon, client, now=timezone.now(), day_offset=0)
    assert appointment.pk
    # paying by transfer lifts it
    services.invoice_mark_paid(invoice_id=invoice.pk, reference="VIR")
    assert 'data-testid="billing-banner"' not in pages.get(url).content.decode()


def test_a_stranger_learns_nothing_of_another_salons_lock(salon):
    overdue_invoice(salon.business)
    other = BusinessFactory()
    pages = pages_as(other)
    answer = pages.post(reverse("catalog:business_settings", args=[salon.business.slug]), {})
    assert answer.status_code == 404


def test_operator_marks_a_transfer_paid_and_credits(salon, client):
    invoice = overdue_invoice(salon.business)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    listing = client.get(reverse("billing:platform_invoices"))
    assert invoice.number in listing.content.decode()
    client.post(reverse("billing:platform_mark_paid", args=[invoice.pk]), {"reference": "VIR-7"})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    client.post(
        reverse("billing:platform_credit"),
        {"business": salon.business.pk, "amount": 500, "description": "Sorry"},
    )
    assert [c.amount for c in selectors.uninvoiced_charges(salon.business)] == [-500]
    assert User.objects.filter(pk=staff.pk).exists()
    with scopes_disabled():
        assert invoice.payments.get().method == "transfer"


def test_a_downgrade_below_what_the_salon_uses_is_refused_on_the_page_in_its_language(salon):
    from solibook.testing.factories import make_master

    services.subscription_start(business=salon.business, plan_code="pro")
    make_master(salon.business, locations=[salon.location], name="Second")
    pages = pages_as(salon.business)
    from django.utils import translation

    with translation.override("fr"):
        url = reverse("billing:plan_change", args=[salon.business.slug])
    answer = pages.post(url, {"plan": "free"}, follow=True)
    text = answer.content.decode()
    assert url.startswith("/fr/")
    assert "Votre établissement utilise plus" in text and "professionnels actifs" in text
    assert selectors.plan_of(salon.business).code == "pro"
    with scopes_disabled():
        assert not Charge.objects.filter(business=salon.business, kind="proration").exists()
