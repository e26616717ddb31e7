"""The Content-Security-Policy in a real browser: the pages' own scripts run,
nothing is refused, and the two-factor set-up page shows its QR code."""

import pytest

from e2e.conftest import run_axe, screenshot
from solibook.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    return refused


def test_pages_run_under_the_policy_and_2fa_setup_shows_a_qr_code(live_server, desktop_page):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    user = UserFactory(email="csp@example.test")
    page = desktop_page
    refused = _watch_csp(page)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/")
    page.goto(f"{live_server.url}/en/accounts/security/two-factor/")
    qr = page.locator("img[src^='data:image/svg+xml']")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "security-2fa-setup")
    assert run_axe(page) == []
    # The language switcher's script (a static file, no inline handler) runs.
    page.select_option("#language-switcher", "fr")
    page.wait_for_url(f"{live_server.url}/fr/accounts/security/two-factor/")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert refused == []
