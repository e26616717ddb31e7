"""The cut-down Bootstrap the site shell links (issue #24, point 5: only the CSS the
pages use) keeps every class a template names; the pages people land on start their
scripts after the first paint."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from solibook.marketplace.tests.conftest import refresh

BOOTSTRAP = Path(__file__).resolve().parents[2] / "static" / "vendor" / "bootstrap"
SOLIBOOK = Path(__file__).resolve().parents[2]


def _selectors(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![\w-])", css) is not None


def _template_classes() -> set[str]:
    """Every whole class word written in a template's class="…" attribute (words
    glued to a template tag, like text-bg-{{ x }}, are the purge's safelist's job)."""
    names: set[str] = set()
    for template in SOLIBOOK.glob("**/templates/**/*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            value = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "\0", value)
            for word in value.split():
                if "\0" not in word and re.fullmatch(r"[a-z][a-z0-9-]*", word):
                    names.add(word)
    return names


@pytest.mark.parametrize("variant", ["", ".rtl"])
def test_the_cut_bootstrap_keeps_every_class_the_templates_use(variant):
    full = (BOOTSTRAP / f"bootstrap{variant}.min.css").read_text()
    cut = (BOOTSTRAP / f"bootstrap{variant}.purged.min.css").read_text()
    lost = sorted(
        name for name in _template_classes() if _selectors(full, name) and not _selectors(cut, name)
    )
    assert lost == [], f"run `make css`: the cut Bootstrap lost {lost}"
    assert len(cut) < len(full) / 2


def test_the_site_shell_links_the_cut_bootstrap():
    base = (SOLIBOOK / "templates" / "base.html").read_text()
    assert "bootstrap.purged.min.css" in base and "bootstrap.rtl.purged.min.css" in base
    assert "bootstrap.min.css'" not in base and "bootstrap.rtl.min.css'" not in base


# Pages people land on run no script before their first paint but the small one that
# starts the others after it (js/core/after-paint.js): on a phone, bootstrap's and htmx's
# 42 KiB and their start-up held back the largest paint (issue #24, point 5).
AFTER_PAINT = re.compile(r'<script type="text/x-after-paint" data-src="([^"]+)"></script>')
BEFORE_PAINT = re.compile(r"<script\b[^>]*\ssrc=\"([^\"]+)\"")


def _scripts(client, url: str) -> tuple[list[str], list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return BEFORE_PAINT.findall(html), AFTER_PAINT.findall(html)


def _names(urls: list[str]) -> list[str]:
    """/static/vendor/htmx/htmx.min.js (or its hashed name) -> htmx.min"""
    return [re.sub(r"(\.[0-9a-f]{12})?\.js$", "", url.rsplit("/", 1)[-1]) for url in urls]


CORE_AFTER_PAINT = [
    "bootstrap.bundle.min",
    "htmx.min",
    "autosubmit",
    "htmx-errors",
    "scroll-regions",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["marketplace:salon", "clientarea:book"])
def test_a_salons_page_and_its_wizard_start_their_scripts_after_the_first_paint(
    client, salon, page
):
    refresh(salon.business)
    before_paint, after_paint = _scripts(client, reverse(page, args=[salon.business.slug]))
    assert _names(before_paint) == ["after-paint"]
    # The chat widget's script, then base.html's, in the order `defer` ran them.
    assert _names(after_paint)[:6] == ["widget", *CORE_AFTER_PAINT]


@pytest.mark.django_db
def test_the_home_page_starts_bootstrap_and_htmx_after_the_first_paint(client):
    before_paint, after_paint = _scripts(client, reverse("marketplace:home"))
    # search.js stays: it shows the "Near me" button, which would move the page if
    # it appeared after the first paint.
    assert _names(before_paint) == ["after-paint", "search"]
    assert _names(after_paint) == CORE_AFTER_PAINT


@pytest.mark.django_db
def test_other_pages_keep_their_scripts(client):
    before_paint, after_paint = _scripts(client, reverse("accounts:login"))
    assert _names(before_paint)[:2] == ["bootstrap.bundle.min", "htmx.min"]
    assert after_paint == []


def test_every_after_paint_script_exists():
    for template in SOLIBOOK.glob("**/templates/**/*.html"):
        for name in re.findall(r'data-src="\{% static \'([^\']+)\' %\}"', template.read_text()):
            assert finders.find(name), f"{template}: {name} is not a static file"
