"""Browser tests: Playwright drives Debian's Chromium against a live server.

Chromium comes from `apt-get install chromium` (the Makefile does it); the
flags keep it from phoning home, which this network refuses anyway.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (the marketplace is mobile-first)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations found by axe-core (vendored)."""
    axe = (
        Path(__file__).resolve().parent.parent
        / "solibook"
        / "static"
        / "vendor"
        / "axe-core"
        / "axe.min.js"
    )
    # Evaluated through the DevTools protocol: an injected inline <script>
    # would be refused by the pages' Content-Security-Policy.
    page.evaluate(axe.read_text())
    # Let CSS transitions finish first (a button under the mouse fading to its
    # hover colours would otherwise be measured half-way, a flaky contrast error).
    page.evaluate(
        "async () => { await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))); }"
    )
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
