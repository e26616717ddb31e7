"""Finance issues a salon's invoice now, from the console's salon page or the API,
through billing's own `invoice_issue` (the monthly run's door): each charge goes on
one invoice once, nothing left to invoice is refused and writes nothing, other
platform roles and salons are refused, two clicks at once make one invoice."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformRole
from solibook.billing import services as billing
from solibook.billing.models import Charge, Invoice, InvoiceCounter
from solibook.core.errors import Conflict, Forbidden, NotFound
from solibook.core.models import AuditEvent
from solibook.platform import services
from solibook.testing.factories import BusinessFactory, UserFactory, member
from solibook.testing.races import race


def staff(role: str):
    user = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=user, role=role)
    return user


def charged(business, source: str = "commission:1", amount: int = 840):
    return billing.charge_record(
        business=business,
        kind="commission",
        amount=amount,
        currency="EUR",
        description="Commission, visit of 2031-03-12",
        source=source,
    )


def invoices(business) -> list[Invoice]:
    with scopes_disabled():
        return list(Invoice.objects.filter(business=business))


@pytest.mark.django_db
def test_finance_issues_the_salons_invoice_from_its_page_once(client):
    business = BusinessFactory(name="Salon Maintenant", country="FR", currency="EUR")
    charge = charged(business)
    client.force_login(staff(PlatformRole.FINANCE))
    page = client.get(f"/en/platform/salons/{business.pk}/").content.decode()
    assert "Issue its invoice now" in page

    response = client.post(f"/en/platform/salons/{business.pk}/invoice/", follow=True)
    (invoice,) = invoices(business)
    assert invoice.number in response.content.decode()
    assert f"Invoice {invoice.number} is issued to Salon Maintenant." in [
        str(m) for m in response.context["messages"]
    ]
    with scopes_disabled():
        charge.refresh_from_db()
        assert charge.invoice_id == invoice.pk
        assert [line.amount for line in invoice.lines.all()] == [840]
        assert AuditEvent.objects.filter(
            action="platform.salon_invoice_now", business=business
        ).exists()

    # A second click: nothing left to invoice, said so, no number taken.
    with scopes_disabled():
        counter = InvoiceCounter.objects.get(series=invoice.series).last_number
    again = client.post(f"/en/platform/salons/{business.pk}/invoice/", follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        "Salon Maintenant has nothing to invoice: every charge is on an invoice already."
    ]
    assert len(invoices(business)) == 1
    with scopes_disabled():
        assert InvoiceCounter.objects.get(series=invoice.series).last_number == counter


@pytest.mark.django_db
def test_the_refusal_is_in_the_readers_language(client):
    business = BusinessFactory(name="Salon Vide")
    client.force_login(staff(PlatformRole.FINANCE))
    response = client.post(f"/fr/platform/salons/{business.pk}/invoice/", follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith("Salon Vide ") and "facture" in message
    assert not invoices(business)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [PlatformRole.SUPPORT, PlatformRole.MODERATOR], ids=["support", "moderator"]
)
def test_other_platform_roles_cannot_issue_an_invoice(client, role):
    business = BusinessFactory()
    charged(business)
    user = staff(role)
    client.force_login(user)
    assert client.post(f"/en/platform/salons/{business.pk}/invoice/").status_code == 403
    assert (
        "Issue its invoice now"
        not in client.get(f"/en/platform/salons/{business.pk}/").content.decode()
    )
    with pytest.raises(Forbidden):
        services.salon_invoice_now(actor=user, business_id=business.pk)
    assert not invoices(business)


@pytest.mark.django_db
def test_the_api_issues_refuses_twice_and_is_closed_to_the_salon(api_client):
    business = BusinessFactory()
    charged(business)
    owner = member(business)
    api_client.force_authenticate(owner)
    url = f"/api/v1/platform/salons/{business.pk}/invoice/"
    assert api_client.post(url).status_code == 403
    assert not invoices(business)

    api_client.force_authenticate(staff(PlatformRole.FINANCE))
    created = api_client.post(url)
    assert created.status_code == 201, created.content
    (invoice,) = invoices(business)
    assert created.json()["number"] == invoice.number
    assert created.json()["total"] == invoice.total > 840  # VAT on top
    assert api_client.post(url).status_code == 409
    assert api_client.post("/api/v1/platform/salons/999999999/invoice/").status_code == 404
    assert len(invoices(business)) == 1


@pytest.mark.django_db
def test_bad_salon_ids_are_not_found():
    finance = staff(PlatformRole.FINANCE)
    for bad in (0, -1, 2**63, "1"):
        with pytest.raises(NotFound):
            services.salon_invoice_now(actor=finance, business_id=bad)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_invoice():
    business = BusinessFactory()
    charged(business, "commission:a", 500)
    charged(business, "commission:b", 300)
    finance = staff(PlatformRole.FINANCE)

    results = race(4, lambda i: services.salon_invoice_now(actor=finance, business_id=business.pk))
    issued = [r for r in results if isinstance(r, Invoice)]
    assert len(issued) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 3, results
    with scopes_disabled():
        assert Charge.objects.filter(business=business, invoice=issued[0]).count() == 2
        assert issued[0].net_total == 800
    assert len(invoices(business)) == 1
