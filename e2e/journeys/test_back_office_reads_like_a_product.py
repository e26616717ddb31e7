"""The whole back office, walked on a phone by the salon's owner, reads like a product.

The owner signs in and follows every link of their back office (the menu, lists, detail
pages), as someone exploring it would. On each page, at 390 px:
- nothing is wider than the screen (a table scrolls inside its own box, never the page);
- no raw code is shown to a person (`gift_card`, `marketing_sms`, `client_credit`: words
  joined by underscores are the code's, not the salon's language);
- no control keeps Bootstrap's default blue: one visual language, the brand's colours;
- axe finds no serious or critical accessibility violation.
Every problem on every page is collected first, so one run lists them all.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from e2e.conftest import run_axe
from e2e.journeys.conftest import sign_in

SALONS = {
    "en": ("owner@solibook.demo", "Atelier Lumière"),
    "ru": ("owner.moscow@solibook.demo", "Салон красоты «Жемчуг»"),
    "ar": ("owner.riyadh@solibook.demo", "صالون لمسة ورد"),
}
PAGE_LIMIT = 80
# Pages of one kind (a client card, a checkout) are read twice, not once per row.
SAME_KIND = 2
# Links that download a file or act on GET (sign out) are not pages to read.
NOT_PAGES = (".pdf", ".csv", ".ics", ".xlsx", ".txt", "logout", "export", "download", "/fec")

# Visible text without what is meant to be literal: inputs, code, templates being edited.
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, code, pre, kbd, samp, textarea, select, [data-literal]')
      .forEach((node) => node.remove());
  return body.innerText;
}"""
RAW_CODES = r"(?<![\w@./:-])[a-z]+(?:_[a-z]+)+(?![\w@./-])"
# The widest element that sticks out of the viewport, to name it in the failure.
OVERFLOW = """(width) => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= width + 1) return null;
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const r = Math.max(box.right, width - box.left);
    if (box.width > 0 && r > right && getComputedStyle(el).position !== 'fixed') {
      right = r; widest = el;
    }
  }
  const name = widest ? widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '')
      + (widest.className && typeof widest.className === 'string'
         ? '.' + widest.className.trim().split(/\\s+/).slice(0, 3).join('.') : '') : '?';
  return {scroll: doc.scrollWidth, widest: name};
}"""
BOOTSTRAP_BLUE = """() => {
  const blue = 'rgb(13, 110, 253)';
  const found = [];
  for (const el of document.body.querySelectorAll('a, button, .btn, .badge, .nav-link, input, .page-link, .progress-bar')) {
    const style = getComputedStyle(el);
    if (el.offsetParent === null) continue;
    if ([style.color, style.backgroundColor, style.borderTopColor].includes(blue)) {
      found.push(el.tagName.toLowerCase() + '.' + (el.className || '').toString().trim().split(/\\s+/).slice(0, 2).join('.'));
    }
  }
  return found.slice(0, 3);
}"""


def _office_root(page, site, lang, salon) -> str:
    page.goto(site.page_url(lang, "office/"))
    page.wait_for_load_state()
    page.get_by_role("link", name=salon, exact=True).first.click()
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    parts = path.strip("/").split("/")  # <lang>/office/<slug>/...
    return "/" + "/".join(parts[:3]) + "/"


def _links(page, root: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if not parts.path.startswith(root) or any(bit in parts.path for bit in NOT_PAGES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _kind(path: str) -> str:
    """The page's kind: its path with ids and the query left out."""
    return re.sub(r"/\d+/", "/<id>/", path.split("?")[0])


@pytest.mark.parametrize(
    "lang",
    ["en", "ru", "ar"],
)
def test_every_back_office_page_fits_a_phone_in_the_salon_language(browser, demo_site, lang):
    email, salon = SALONS[lang]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems: list[str] = []
    try:
        sign_in(page, demo_site, lang, email)
        root = _office_root(page, demo_site, lang, salon)
        queue, seen, kinds = deque([root]), {root}, {_kind(root): 1}
        visited = 0
        while queue and visited < PAGE_LIMIT:
            path = queue.popleft()
            response = page.goto(urljoin(demo_site.url, path))
            page.wait_for_load_state()
            visited += 1
            if response is None or response.status >= 400:
                problems.append(f"{path}: answered {response and response.status}")
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            wide = page.evaluate(OVERFLOW, 390)
            if wide:
                problems.append(f"{path}: {wide['scroll']} px wide, widest {wide['widest']}")
            codes = sorted(set(re.findall(RAW_CODES, page.evaluate(VISIBLE_TEXT))))
            if codes:
                problems.append(f"{path}: raw codes shown {codes[:6]}")
            blue = page.evaluate(BOOTSTRAP_BLUE)
            if blue:
                problems.append(f"{path}: default blue on {blue}")
            for violation in run_axe(page):
                problems.append(f"{path}: axe {violation['id']} ({violation['impact']})")
            for link in _links(page, root):
                if link not in seen and kinds.get(_kind(link), 0) < SAME_KIND:
                    seen.add(link)
                    kinds[_kind(link)] = kinds.get(_kind(link), 0) + 1
                    queue.append(link)
        assert visited >= 15, f"only {visited} back-office pages reached from {root}"
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
