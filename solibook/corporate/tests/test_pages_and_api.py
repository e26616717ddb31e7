"""The pages and their API twins over the same services: platform staff create a
company and its HR admin, HR invites (an address outside the domains is refused on
the page and in the API), the wizard's payment step sends an employee to the budget,
the employee pays over the API, and nobody reaches another company's pages."""

import pytest
from django.core import mail
from django.test import TestCase
from rest_framework.test import APIClient

from solibook.catalog.models import Category
from solibook.corporate import selectors, services
from solibook.corporate.models import Company, Employee
from solibook.testing.booking import client_books
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_platform_staff_create_a_company_and_its_hr_admin_in_the_console(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get("/fr/platform/companies/")
    assert page.status_code == 200 and "Nouvelle entreprise" in page.content.decode()
    slug = Category.objects.filter(parent__isnull=True).first().slug
    done = client.post(
        "/en/platform/companies/",
        {
            "name": "Acme",
            "city": "Paris",
            "domains": "acme.test",
            "language": "fr",
            "monthly_budget": "50",
            "rollover_cap": "0",
            "allowed_categories": [slug],
        },
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    company = Company.objects.get(name="Acme")
    assert company.monthly_budget == 5000 and company.allowed_categories == [slug]
    hr = UserFactory(email="hr@acme.test")
    client.post(f"/en/platform/companies/{company.pk}/admins/", {"email": hr.email})
    assert company.admins.filter(user=hr).exists()
    # Someone who is not staff does not get in.
    client.force_login(hr)
    assert client.get("/en/platform/companies/").status_code in (302, 403)


def test_the_api_twins_create_invite_and_refuse_outside_the_domains():
    staff = UserFactory(is_staff=True)
    made = api(staff).post(
        "/api/v1/platform/companies/",
        {"name": "Acme", "city": "Paris", "domains": ["acme.test"], "monthly_budget": 4000},
        format="json",
    )
    assert made.status_code == 201, made.content
    company_id = made.json()["id"]
    hr = UserFactory(email="hr@acme.test")
    assert (
        api(staff)
        .post(f"/api/v1/platform/companies/{company_id}/admins/", {"email": hr.email})
        .status_code
        == 201
    )
    refused = api(hr).post(
        f"/api/v1/companies/{company_id}/invitations/", {"email": "x@gmail.com"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "domain_not_allowed"
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = api(hr).post(
            f"/api/v1/companies/{company_id}/invitations/",
            {"email": "lina@acme.test"},
            format="json",
        )
    assert sent.status_code == 201 and mail.outbox[-1].to == ["lina@acme.test"]
    rows = api(hr).get(f"/api/v1/companies/{company_id}/employees/").json()
    assert [r["status"] for r in rows] == ["invited"]
    # A stranger (not an HR admin of it) sees nothing.
    stranger = UserFactory()
    assert api(stranger).get(f"/api/v1/companies/{company_id}/employees/").status_code == 404
    assert api(stranger).get(f"/api/v1/companies/{company_id}/invoices/").status_code == 404
    # Rules and an open month over the API.
    month = api(hr).post(
        f"/api/v1/companies/{company_id}/invoices/", {"month": "2999-01"}, format="json"
    )
    assert month.status_code == 400 and month.json()["error"]["code"] == "month_open"


def test_hr_page_refuses_an_address_outside_the_domains(client):
    company = services.company_create(
        actor=None, name="Acme", city="Paris", domains="acme.test", monthly_budget=4000
    )
    hr = UserFactory(email="hr@acme.test")
    services.company_admin_add(company=company, email=hr.email, actor=None)
    client.force_login(hr)
    page = client.post(f"/fr/company/{company.slug}/", {"emails": "lina@acme.test x@gmail.com"})
    body = page.content.decode()
    assert page.status_code == 400
    assert "x@gmail.com" in body and "acme.test" in body
    assert Employee.objects.filter(company=company).count() == 1  # the good one went


def test_the_wizard_payment_step_and_the_api_pay_from_the_budget(salon, client):
    company = services.company_create(
        actor=None, name="Acme", city="Paris", domains="acme.test", monthly_budget=6000, now=NOW
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.employee_invite(company=company, email="lina@acme.test", actor=None, now=NOW)
    token = mail.outbox[-1].body.split("/wellness/join/")[1].split("/")[0]
    lina = UserFactory(email="lina@acme.test")
    client.force_login(lina)
    joined = client.post(f"/en/wellness/join/{token}/")
    assert joined.status_code == 302
    visit = client_books(salon, lina, now=NOW)
    step = client.get(f"/en/me/wellness/visits/{visit.pk}/pay/")
    assert step.status_code == 200 and "Pay with your wellness budget" in step.content.decode()
    too_much = api(lina).post(
        f"/api/v1/me/wellness/visits/{visit.pk}/pay/", {"amount": 999999}, format="json"
    )
    assert too_much.status_code == 400
    paid = api(lina).post(
        f"/api/v1/me/wellness/visits/{visit.pk}/pay/", {"amount": 2500}, format="json"
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["left_to_pay"] == 2000
    mine = api(lina).get("/api/v1/me/wellness/").json()
    assert mine["balance"] == selectors.balance_of(Employee.objects.get(user=lina)) == 3500
    # Someone else's visit is not theirs to pay.
    other = UserFactory()
    assert (
        api(other)
        .post(f"/api/v1/me/wellness/visits/{visit.pk}/pay/", {"amount": 100}, format="json")
        .status_code
        == 404
    )
    page = client.get("/ar/me/wellness/")
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()


def test_the_till_page_takes_the_wellness_budget_and_a_card(salon, client):
    from solibook.accounts.roles import Role
    from solibook.testing.factories import member

    company = services.company_create(
        actor=None, name="Acme", city="Paris", domains="acme.test", monthly_budget=3000, now=NOW
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.employee_invite(company=company, email="lina@acme.test", actor=None, now=NOW)
    token = mail.outbox[-1].body.split("/wellness/join/")[1].split("/")[0]
    lina = UserFactory(email="lina@acme.test")
    employee = services.invitation_accept(token=token, user=lina, now=NOW)
    visit = client_books(salon, lina, now=NOW)  # 45.00
    client.force_login(member(salon.business, Role.OWNER))
    url = f"/fr/office/{salon.business.slug}/finance/checkout/"
    form = {"appointment": visit.pk, "location": salon.location.pk, "action": "complete"}
    page = client.get(f"{url}?appointment={visit.pk}")
    assert "Budget bien-être (employeur)" in page.content.decode()
    over = client.post(url, {**form, "pay_wellness": "45", "shown_total": "4500"})
    assert over.status_code != 302  # more than the 30.00 it holds: refused, nothing charged
    assert selectors.balance_of(employee) == 3000
    done = client.post(url, {**form, "pay_wellness": "30", "pay_card": "15", "shown_total": "4500"})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert selectors.balance_of(employee) == 0


def test_a_company_in_an_unknown_currency_or_with_bad_domains_is_refused():
    staff = UserFactory(is_staff=True)
    body = {"name": "Acme", "city": "Paris", "domains": ["acme.test"], "monthly_budget": 100}
    odd = api(staff).post("/api/v1/platform/companies/", {**body, "currency": "ZZZ"}, format="json")
    assert odd.status_code == 400 and "currency" in odd.json()["error"]["fields"]
    bad = api(staff).post(
        "/api/v1/platform/companies/", {**body, "domains": ["not a domain"]}, format="json"
    )
    assert bad.status_code == 400 and "domains" in bad.json()["error"]["fields"]
    assert not Company.objects.exists()
    # An HR admin is not platform staff: no company of their own making.
    assert (
        api(UserFactory()).post("/api/v1/platform/companies/", body, format="json").status_code
        == 403
    )


def test_hr_changes_the_rules_and_closes_a_budget(client):
    company = services.company_create(
        actor=None, name="Acme", city="Paris", domains="acme.test", monthly_budget=4000
    )
    hr = UserFactory(email="hr@acme.test")
    services.company_admin_add(company=company, email=hr.email, actor=None)
    slug = Category.objects.filter(parent__isnull=True).first().slug
    changed = api(hr).patch(
        f"/api/v1/companies/{company.pk}/",
        {"monthly_budget": 7000, "rollover_cap": 1000, "allowed_categories": [slug]},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["monthly_budget"] == 7000
    unknown = api(hr).patch(
        f"/api/v1/companies/{company.pk}/",
        {"monthly_budget": 7000, "rollover_cap": 0, "allowed_categories": ["no-such"]},
        format="json",
    )
    assert unknown.status_code == 400
    company.refresh_from_db()
    assert company.allowed_categories == [slug] and company.rollover_cap == 1000
    employee = services.employee_invite(company=company, email="lina@acme.test", actor=hr)
    client.force_login(hr)
    url = f"/en/company/{company.slug}/employees/{employee.pk}/remove/"
    assert client.post(url).status_code == 302
    employee.refresh_from_db()
    assert employee.status == Employee.Status.LEFT
    # Another company's employee id is 404 here.
    other = services.company_create(
        actor=None, name="Beta", city="Lyon", domains="beta.test", monthly_budget=100
    )
    stranger = services.employee_invite(company=other, email="bea@beta.test", actor=None)
    assert (
        client.post(f"/en/company/{company.slug}/employees/{stranger.pk}/remove/").status_code
        == 404
    )
