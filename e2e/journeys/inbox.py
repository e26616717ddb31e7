"""Reading the demo inbox (/<lang>/demo/inbox/) in the browser, as a person
trying the demo does: the verification code or the link a message carries.

Each helper opens the inbox in a new tab of the same browser context (the
journey's own page keeps its place, say the wizard's code step), filters it by
recipient and reloads until the message arrives (the notification worker
sends within a few seconds). No database access.

    code = latest_code(page, site, to="+33612345678")
    link = latest_link(page, site, to="ada@example.test", containing="/manage/")
"""

import re
import time
import urllib.parse
from contextlib import contextmanager

WAIT_SECONDS = 30


def inbox_url(site, *, to: str = "", lang: str = "en") -> str:
    query = f"?{urllib.parse.urlencode({'to': to})}" if to else ""
    return site.page_url(lang, "demo/inbox/") + query


@contextmanager
def _inbox_tab(page):
    tab = page.context.new_page()
    try:
        yield tab
    finally:
        tab.close()


def _wait_for(page, site, *, to: str, lang: str, selector: str, containing: str, timeout: float):
    """The first (newest) element matching `selector` in a message to `to`
    whose text or href contains `containing`; reloads until one shows."""
    deadline = time.monotonic() + timeout
    with _inbox_tab(page) as tab:
        tab.goto(inbox_url(site, to=to, lang=lang))
        while True:
            for element in tab.locator(f".inbox-message {selector}").all():
                value = element.get_attribute("href") if selector.startswith("a") else None
                value = value or element.inner_text()
                if containing in value:
                    return value.strip()
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no message to {to!r} with {selector} containing {containing!r} "
                    f"in the demo inbox after {timeout:.0f} s"
                )
            time.sleep(1)
            tab.reload()


def latest_code(page, site, *, to: str, lang: str = "en", timeout: float = WAIT_SECONDS) -> str:
    """The six-digit code of the newest message to `to` that carries one."""
    code = _wait_for(
        page, site, to=to, lang=lang, selector=".inbox-code", containing="", timeout=timeout
    )
    assert re.fullmatch(r"\d{6}", code), code
    return code


def latest_link(
    page,
    site,
    *,
    to: str,
    containing: str = "/",
    lang: str = "en",
    timeout: float = WAIT_SECONDS,
) -> str:
    """The address of the newest link to `to` whose address contains `containing`."""
    return _wait_for(
        page, site, to=to, lang=lang, selector="a[href]", containing=containing, timeout=timeout
    )
