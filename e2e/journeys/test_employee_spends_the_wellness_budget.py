"""Journeys (issue #19, point 4): an employee books and pays with the wellness budget;
HR sees the usage without any treatment's name; the company's invoice after the month
closes.

On a desktop (1366×768), in English and in French, through pages only on the demo
`make run` serves (solibook/demo/corporate.py: Verdier & Associés, 20 employees on
verdier.demo, last month spent and invoiced):

- Chloé (employee@verdier.demo) reads her budget in her account, books the first
  service at Atelier Lumière in Paris; the wizard's payment step offers the budget:
  she pays 30.00 from it (more than the salon's 20.00 deposit, so the visit is
  confirmed) and the rest by card on the test-mode page; her budget is 30.00 lower;
  asking for more than the budget holds is refused with the amount it holds;
- Claire (hr@verdier.demo) opens her company from her account: the employees, the
  usage per employee, month and salon (no service of either Paris salon named there,
  nor in the CSV), last month's invoice with its PDF, and this month refused while it
  is still open.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.journeys.conftest import sign_in, t
from e2e.journeys.wizard import TEST_CARD_OK, Clicks, card, choose_a_time, confirm

pytestmark = pytest.mark.browser

EMPLOYEE = "employee@verdier.demo"
HR = "hr@verdier.demo"
COMPANY = "Verdier & Associés"
SALON = "atelier-lumiere"
PARIS_SALONS = ("atelier-lumiere", "ongles-sens")
FROM_BUDGET = 3000  # cents


def desktop(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)


def budget_balance(page, site, lang: str) -> int:
    page.goto(site.page_url(lang, "me/"))
    page.get_by_role("link", name=t(lang, "Wellness budget"), exact=True).click()
    page.wait_for_load_state()
    balance = page.locator("#wellness-balance")
    expect(balance).to_be_visible()
    return int(balance.get_attribute("data-amount"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_employee_books_and_pays_with_the_wellness_budget(browser, demo_site, lang):
    context = desktop(browser)
    page = context.new_page()
    page.set_default_timeout(60_000)  # eight people on two cores
    try:
        sign_in(page, demo_site, lang, EMPLOYEE)
        before = budget_balance(page, demo_site, lang)
        assert before >= FROM_BUDGET

        clicks = Clicks(page)
        page.goto(demo_site.page_url(lang, f"salons/{SALON}/"))
        clicks.click(page.locator("#book-now"), "book now")
        clicks.click(page.locator("#wizard-services input[name=service]").first, "service")
        clicks.click(page.get_by_role("button", name=t(lang, "Choose a time")), "choose a time")
        choose_a_time(clicks, skip_days=2)
        confirm(clicks, lang)  # signed in: no details step

        # The payment step: the employer's budget first.
        expect(
            page.get_by_role("heading", name=t(lang, "Pay with your wellness budget"))
        ).to_be_visible()
        amount = page.get_by_label(t(lang, "From my wellness budget"))
        amount.fill(str((before + 10000) // 100))  # more than it holds: refused, nothing charged
        clicks.click(page.get_by_role("button", name=t(lang, "Pay from my budget")), "too much")
        expect(page.locator("#wellness-pay .errorlist")).to_be_visible()  # nothing charged
        amount = page.get_by_label(t(lang, "From my wellness budget"))
        amount.fill(str(FROM_BUDGET // 100))
        clicks.click(page.get_by_role("button", name=t(lang, "Pay from my budget")), "budget")
        expect(
            page.get_by_role("heading", name=t(lang, "Paid from your wellness budget"))
        ).to_be_visible()
        expect(page.locator("#rest")).to_be_visible()
        screenshot(page, f"wellness-paid-{lang}")

        # The rest by card, on the test-mode provider's page.
        clicks.click(page.locator("#pay-rest"), "pay the rest")
        clicks.click(page.locator("#pay-button"), "pay")
        card(clicks, lang, TEST_CARD_OK)
        page.wait_for_load_state()
        assert "/me/" in page.url

        after = budget_balance(page, demo_site, lang)
        assert after == before - FROM_BUDGET
        history = page.locator("#wellness-history tbody tr").first
        expect(history).to_contain_text("Atelier Lumière")
        expect(history).to_contain_text(t(lang, "Spent"))
    finally:
        context.close()


def service_names(page, site, lang: str) -> set[str]:
    """What the Paris salons sell, read from their booking pages."""
    names = set()
    for slug in PARIS_SALONS:
        page.goto(site.page_url(lang, f"book/{slug}/"))
        page.wait_for_load_state()
        for label in page.locator("#wizard-services label .fw-semibold").all_inner_texts():
            names.add(label.strip())
    assert len(names) >= 5, names
    return names


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hr_sees_usage_without_treatments_and_the_month_invoice(browser, demo_site, lang):
    context = desktop(browser)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        treatments = service_names(page, demo_site, lang)
        sign_in(page, demo_site, lang, HR)
        page.goto(demo_site.page_url(lang, "me/wellness/"))
        page.get_by_role("link", name=COMPANY).click()
        page.wait_for_load_state()
        expect(page.locator("#employees tbody tr")).to_have_count(21)  # 20 + one invited

        page.get_by_role("link", name=t(lang, "Usage"), exact=True).click()
        page.wait_for_load_state()
        usage = page.locator("#usage")
        expect(usage).to_contain_text("employee@verdier.demo")
        expect(usage).to_contain_text("Atelier Lumière")
        text = page.locator("main").inner_text()
        for name in treatments:
            assert name not in text, name
        csv_path = page.locator("a[href$='usage.csv']").get_attribute("href")
        csv = page.request.get(demo_site.url + csv_path)
        assert csv.ok and "employee@verdier.demo" in csv.text()
        for name in treatments:
            assert name not in csv.text(), name
        screenshot(page, f"wellness-usage-{lang}")

        # Last month is closed: its one invoice, and its PDF.
        page.get_by_role("link", name=t(lang, "Invoices"), exact=True).click()
        page.wait_for_load_state()
        rows = page.locator("#invoices tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(re.compile(r"CO-\d{4}-\d{6}"))
        pdf = page.request.get(demo_site.url + rows.first.locator("a").get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")

        # This month is still open: refused, with the day it can be invoiced.
        this_month = page.evaluate(
            "() => new Date().toLocaleDateString('sv-SE', {timeZone: 'Europe/Paris'}).slice(0, 7)"
        )
        page.locator("#invoice-month").get_by_label(t(lang, "Month")).fill(this_month)
        page.get_by_role("button", name=t(lang, "Issue the invoice")).click()
        page.wait_for_load_state()
        refusal = page.locator("#invoice-month .errorlist")
        expect(refusal).to_be_visible()
        expect(refusal).to_contain_text(re.compile(r"20\d\d"))  # the day it can be issued
        expect(rows).to_have_count(1)  # nothing issued
    finally:
        context.close()
