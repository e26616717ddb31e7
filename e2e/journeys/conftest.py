"""Journeys run against the product as a newcomer gets it from `make run`.

`demo_site` starts `make run` itself, once per test session, in a fresh
`var/` directory: SQLite, migrations, the demo data, the WSGI server and the
task, notification and periodic workers, exactly as the README's quick start.
A journey reaches every step through pages, as the person would: nothing here
opens the demo's database, so no step can be skipped by a shortcut.

`t(lang, "English text")` gives the words the person sees in their language
and fails when a non-English catalogue lacks them, so a journey in Arabic
that clicks "Book" proves the Arabic button exists.
"""

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from solibook.testing.demo_server import answers, free_port, start_make_run, stop

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "fr", "ru", "ar")
DEMO_PASSWORD = "solibook-demo"
STARTUP_SECONDS = (
    1200  # migrate + seed: about 50 s on an idle 2-core machine, 8 min under heavy load
)
# Only what a shell of a newcomer has: the suite's own settings (its
# DATABASE_URL, its settings module, a CI's cache) must not leak into the demo.
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "PYTHON")


@dataclass(frozen=True)
class DemoSite:
    url: str
    var_dir: Path
    password: str = DEMO_PASSWORD

    def page_url(self, lang: str, path: str = "/") -> str:
        """The address of `path` (written without the language) in `lang`."""
        return f"{self.url}/{lang}/{path.lstrip('/')}"


def _log_tail(log: Path, lines: int = 60) -> str:
    if not log.exists():
        return "(no output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def demo_site():
    relative_var = Path("var") / f"journeys-{os.getpid()}"
    var_dir = ROOT / relative_var
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    log = var_dir / "make-run.log"
    port = free_port()
    environment = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
    process = start_make_run(ROOT, relative_var, port, log, environment)
    site = DemoSite(url=f"http://127.0.0.1:{port}", var_dir=var_dir)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not answers(port, "/en/"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`make run` did not serve the demo:\n{_log_tail(log)}")
            time.sleep(1)
        yield site
    finally:
        stop(process)
        shutil.rmtree(var_dir, ignore_errors=True)


def t(lang: str, message: str, **values) -> str:
    """`message` as a person reading `lang` sees it (with `%(name)s` values filled)."""
    with translation.override(lang):
        shown = translation.gettext(message)
    if lang != "en" and shown == message:
        pytest.fail(f"no {lang} translation of {message!r}")
    return shown % values if values else shown


OFFICE_MENU_GROUPS = ("Catalogue", "Marketing", "Reports", "Business")


def office_menu(page, lang: str, item: str, group: str | None = None) -> None:
    """Follow the back office's menu to `item`, opening its `group` dropdown first
    (one of OFFICE_MENU_GROUPS; None for the links always in sight)."""
    menu = page.get_by_role("navigation", name=t(lang, "Back office"))
    if group is not None:
        assert group in OFFICE_MENU_GROUPS, group
        with translation.override(lang):
            label = translation.pgettext("back-office menu", group)
        if lang in ("ru", "ar") and label == group:
            pytest.fail(f"no {lang} translation of the menu group {group!r}")
        menu.get_by_role("button", name=label, exact=True).click()
    menu.get_by_role("link", name=t(lang, item), exact=True).click()
    page.wait_for_load_state()


def sign_in(page, site: DemoSite, lang: str, email: str) -> None:
    """Sign in through the login page, in `lang`."""
    page.goto(site.page_url(lang, "accounts/login/"))
    page.get_by_label(t(lang, "E-mail address")).fill(email)
    page.get_by_label(t(lang, "Password")).fill(site.password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
