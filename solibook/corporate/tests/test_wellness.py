"""Corporate wellness: companies, invitations by domain, budgets with their rules,
spending at booking and at the till (split with a card), refunds giving the budget
back, the month's invoice through billing and the salons' settlement in the ledger,
and HR reports that never name a treatment."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.billing.models import CompanyInvoice
from solibook.core.errors import DomainError, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.corporate import selectors, services
from solibook.corporate.models import BudgetEntry, Employee, Settlement
from solibook.finance import ledger
from solibook.finance.models import Payment
from solibook.finance.selectors import amount_due
from solibook.finance.services import RefundLineIn, refund_by_lines
from solibook.finance.services.checkout import TenderIn, checkout_complete
from solibook.testing.booking import client_books
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db

JULY = datetime(2030, 7, 2, 8, 0, tzinfo=UTC)


def make_company(**kwargs):
    staff = UserFactory(is_staff=True)
    values = {
        "actor": staff,
        "name": "Acme Paris",
        "city": "Paris",
        "domains": "acme.test acme-group.test",
        "monthly_budget": 6000,
        "rollover_cap": 2000,
        "now": NOW - timedelta(days=40),
    }
    values.update(kwargs)
    return services.company_create(**values)


def join(company, email="lina@acme.test", now=NOW):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail goes on commit
        services.employee_invite(company=company, email=email, actor=None, now=now)
    token = mail.outbox[-1].body.split("/wellness/join/")[1].split("/")[0]
    user = UserFactory(email=email)
    return services.invitation_accept(token=token, user=user, now=now), user


@pytest.fixture
def company(db):
    return make_company()


def balance(employee):
    return selectors.balance_of(Employee.objects.get(pk=employee.pk))


def test_an_invitation_reaches_only_the_company_domains(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_invite(company=company, email="Lina@ACME.test", actor=None, now=NOW)
    assert mail.outbox[-1].to == ["lina@acme.test"]
    assert "Acme Paris" in mail.outbox[-1].subject
    with pytest.raises(ValidationFailed) as refused:
        services.employee_invite(company=company, email="lina@gmail.com", actor=None, now=NOW)
    assert refused.value.code == "domain_not_allowed"
    assert "acme.test" in refused.value.message
    assert not Employee.objects.filter(email="lina@gmail.com").exists()


def test_joining_needs_the_invited_address(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_invite(company=company, email="lina@acme.test", actor=None, now=NOW)
    token = mail.outbox[-1].body.split("/wellness/join/")[1].split("/")[0]
    stranger = UserFactory(email="lina@elsewhere.test")
    with pytest.raises(ValidationFailed):
        services.invitation_accept(token=token, user=stranger, now=NOW)
    lina = UserFactory(email="lina@acme.test")
    employee = services.invitation_accept(token=token, user=lina, now=NOW)
    assert employee.status == Employee.Status.ACTIVE
    assert balance(employee) == 6000  # the month is granted on joining
    with pytest.raises(DomainError):  # a link works once
        services.invitation_accept(token=token, user=lina, now=NOW)


def test_a_new_month_rolls_over_up_to_the_cap_and_the_rest_expires(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee, _user = join(company)
    assert balance(employee) == 6000
    services.budgets_refresh(now=JULY)
    assert balance(employee) == 2000 + 6000  # 4000 of June expired, 2000 carried over
    kinds = list(
        BudgetEntry.objects.filter(employee=employee).order_by("id").values_list("kind", "amount")
    )
    assert kinds == [("grant", 6000), ("expire", -4000), ("grant", 6000)]
    services.budgets_refresh(now=JULY)  # twice: nothing more
    assert balance(employee) == 8000


def test_an_employee_pays_part_of_a_visit_and_the_rest_is_left_for_a_card(
    salon, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee, lina = join(company)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)  # 80.00
    payment = services.visit_pay_with_budget(
        account=lina, appointment_id=visit.pk, amount=6000, now=NOW
    )
    assert payment.tender == "wellness_budget" and payment.amount_captured == 6000
    assert balance(employee) == 0
    with business_scope(salon.business):
        due = amount_due(appointment=visit)
        # The salon's books: owed by the platform, held for the visit.
        assert (
            ledger.balance(business=salon.business, account="wellness_receivable", currency="EUR")
            == 6000
        )
        assert (
            ledger.balance(business=salon.business, account="deposits_held", currency="EUR")
            == -6000
        )
    assert due.total - due.paid == 2000  # the rest, by card
    # The platform's books: the company owes it, it owes the salon.
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 6000
    assert ledger.balance(business=None, account="wellness_payable", currency="EUR") == -6000


def test_over_budget_is_refused_and_nothing_is_charged(
    salon, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee, lina = join(company)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=7000, now=NOW)
    assert refused.value.code == "budget_insufficient"
    assert "60,00" in refused.value.message or "60.00" in refused.value.message
    assert balance(employee) == 6000
    with scopes_disabled():
        assert not Payment.objects.filter(appointment=visit).exists()
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 0


def test_a_category_the_company_does_not_pay_for_is_refused(
    salon, django_capture_on_commit_callbacks
):
    company = make_company(allowed_categories=["womens-haircut"])
    with django_capture_on_commit_callbacks(execute=True):
        employee, lina = join(company)
    colour = client_books(salon, lina, service=salon.colour, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        services.visit_pay_with_budget(account=lina, appointment_id=colour.pk, amount=1000, now=NOW)
    assert refused.value.code == "category_not_allowed"
    assert balance(employee) == 6000
    cut = client_books(salon, lina, hour=14, now=NOW)
    services.visit_pay_with_budget(account=lina, appointment_id=cut.pk, amount=1000, now=NOW)
    assert balance(employee) == 5000


def _till(salon, visit, tenders, total):
    with business_scope(salon.business):
        return checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            currency="EUR",
            now=NOW + timedelta(days=2),
            appointment_id=visit.pk,
            shown_total=total,
            tenders=tenders,
        )


def test_at_the_till_budget_and_card_split_and_a_refund_gives_the_budget_back(salon):
    company = make_company(monthly_budget=4000)
    employee, lina = join(company)
    visit = client_books(salon, lina, now=NOW)  # a cut, 45.00, nothing prepaid
    with pytest.raises(ValidationFailed):  # more than the budget: the whole sale refused
        _till(salon, visit, [TenderIn("wellness_budget", 4500)], 4500)
    assert balance(employee) == 4000
    sale = _till(salon, visit, [TenderIn("wellness_budget", 4000), TenderIn("card", 500)], 4500)
    assert balance(employee) == 0
    with business_scope(salon.business):
        line = sale.lines.get(kind="service")
    with TestCase.captureOnCommitCallbacks(execute=True), business_scope(salon.business):
        refund_by_lines(
            business=salon.business,
            checkout_id=sale.pk,
            lines=[RefundLineIn(line.pk, 1)],
            tip_ids=[],
            reason="service_issue",
            now=NOW + timedelta(days=3),
        )
    assert balance(employee) == 4000  # 40.00 back to the budget (the card got its 5.00)
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 0


def test_a_visit_prepaid_from_the_budget_is_settled_at_the_till_without_spending_twice(
    salon, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee, lina = join(company)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)
    services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=5000, now=NOW)
    _till(salon, visit, [TenderIn("wellness_budget", 5000), TenderIn("card", 3000)], 8000)
    assert balance(employee) == 1000
    with business_scope(salon.business):
        held = ledger.balance(business=salon.business, account="deposits_held", currency="EUR")
        owed = ledger.balance(
            business=salon.business, account="wellness_receivable", currency="EUR"
        )
    assert held == 0 and owed == 5000


def test_the_month_invoice_is_refused_while_open_then_issued_and_salons_settled(
    salon, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee, lina = join(company)
        _other, ines = join(company, email="ines@acme-group.test")
    for user, amount, hour in ((lina, 4500, 10), (ines, 3000, 14)):
        visit = client_books(salon, user, hour=hour, now=NOW)
        services.visit_pay_with_budget(
            account=user, appointment_id=visit.pk, amount=amount, now=NOW
        )
    june = date(2030, 6, 1)
    with pytest.raises(ValidationFailed) as refused:
        services.month_close(company=company, month=june, actor=None, now=NOW + timedelta(days=5))
    assert refused.value.code == "month_open"
    assert "June 2030" in refused.value.message and "1 July 2030" in refused.value.message
    assert not CompanyInvoice.objects.exists()

    closed = services.month_close(company=company, month=june, actor=None, now=JULY)
    invoice = closed.invoice
    assert invoice.total == 7500 and invoice.number.startswith("CO-2030-")
    assert [line["amount"] for line in invoice.lines] == [7500]  # one line per salon
    from solibook.billing.documents import company_invoice_pdf

    assert company_invoice_pdf(invoice).startswith(b"%PDF")
    with pytest.raises(DomainError) as twice:
        services.month_close(company=company, month=june, actor=None, now=JULY)
    assert twice.value.code == "already_invoiced"
    # Gapless: the next company's invoice takes the next number.
    other = make_company(name="Beta", domains="beta.test")
    with django_capture_on_commit_callbacks(execute=True):
        _b, bea = join(other, email="bea@beta.test")
    visit = client_books(salon, bea, hour=16, now=NOW)
    services.visit_pay_with_budget(account=bea, appointment_id=visit.pk, amount=1000, now=NOW)
    second = services.month_close(company=other, month=june, actor=None, now=JULY).invoice
    assert second.sequence == invoice.sequence + 1

    settlement = Settlement.objects.get(company=company, business=salon.business)
    assert settlement.amount == 7500
    # Every account of the round trip is back to zero but the money moved.
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 0
    assert ledger.balance(business=None, account="wellness_payable", currency="EUR") == 0
    assert ledger.balance(business=None, account="receivables", currency="EUR") >= 8500
    with business_scope(salon.business):
        assert (
            ledger.balance(business=salon.business, account="wellness_receivable", currency="EUR")
            == 0
        )
        assert ledger.balance(business=salon.business, account="bank", currency="EUR") == 8500


def test_hr_usage_page_csv_and_api_name_no_service(
    salon, company, client, django_capture_on_commit_callbacks
):
    today = timezone.now()  # the pages show the months up to today's
    employee, lina = join(company, now=today)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)
    services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=3000, now=today)
    hr = UserFactory(email="hr@acme.test")
    services.company_admin_add(company=company, email=hr.email, actor=None)
    client.force_login(hr)
    names = {salon.colour.name, salon.cut.name, "Colour", "Cut"}
    with scopes_disabled():
        names |= {item.service.name for item in visit.items.all()}
        names |= {salon.colour.category.name_en, salon.colour.category.name_fr}
    for path, _lang in (
        (reverse("corporate:usage", args=[company.slug]), "en"),
        (f"/fr/company/{company.slug}/usage/", "fr"),
        (f"/fr/company/{company.slug}/usage.csv", "fr"),
        (f"/api/v1/companies/{company.pk}/usage/?months=24", "en"),
    ):
        body = client.get(path).content.decode()
        assert "lina@acme.test" in body, path
        assert salon.business.name in body, path
        for name in names:
            assert name not in body, (path, name)
    # Another company's HR sees nothing of this one.
    other_hr = UserFactory(email="hr@beta.test")
    services.company_admin_add(
        company=make_company(name="Beta", domains="beta.test"), email=other_hr.email, actor=None
    )
    client.force_login(other_hr)
    assert client.get(reverse("corporate:usage", args=[company.slug])).status_code == 404
    assert client.get(f"/api/v1/companies/{company.pk}/usage/").status_code == 404


def test_finance_staff_record_the_company_transfer(salon, client):
    company = make_company()
    _employee, lina = join(company)
    visit = client_books(salon, lina, now=NOW)
    services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=2000, now=NOW)
    invoice = services.month_close(
        company=company, month=date(2030, 6, 1), actor=None, now=JULY
    ).invoice
    assert ledger.balance(business=None, account="receivables", currency="EUR") == 2000
    client.force_login(UserFactory(is_staff=True))
    url = f"/en/platform/companies/{company.pk}/invoices/{invoice.pk}/paid/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: paid once
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert ledger.balance(business=None, account="receivables", currency="EUR") == 0
    assert ledger.balance(business=None, account="platform_bank", currency="EUR") == 0  # in, out


def test_a_cancelled_prepaid_visit_gives_the_budget_back(salon):
    from solibook.booking.services import appointment_cancel

    company = make_company()
    employee, lina = join(company)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)
    services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=5000, now=NOW)
    assert balance(employee) == 1000
    with TestCase.captureOnCommitCallbacks(execute=True), business_scope(salon.business):
        appointment_cancel(
            business=salon.business,
            appointment_id=visit.pk,
            actor=lina,
            by_client=True,
            now=NOW + timedelta(hours=1),
        )
    assert balance(employee) == 6000
    with business_scope(salon.business):
        held = ledger.balance(business=salon.business, account="deposits_held", currency="EUR")
        owed = ledger.balance(
            business=salon.business, account="wellness_receivable", currency="EUR"
        )
    assert held == 0 and owed == 0
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 0


def test_after_the_budget_the_rest_is_paid_online(salon):
    from solibook.finance.services import online_checkout_start
    from solibook.finance.services.settings import settings_update

    with business_scope(salon.business):
        settings_update(business=salon.business, online_provider="test")
    company = make_company()
    _employee, lina = join(company)
    visit = client_books(salon, lina, service=salon.colour, now=NOW)  # 80.00
    services.visit_pay_with_budget(account=lina, appointment_id=visit.pk, amount=5000, now=NOW)
    with business_scope(salon.business):
        started = online_checkout_start(
            business=salon.business,
            appointment_id=visit.pk,
            purpose="balance",
            success_url="http://testserver/back/",
            cancel_url="http://testserver/pay/",
            account=lina,
            now=NOW,
        )
    # Not mistaken for "paid already": a card payment of the 30.00 left.
    assert started.url and started.payment.tender == "online"
    assert started.payment.amount == 3000
