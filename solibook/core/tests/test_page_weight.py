"""The cut-down Bootstrap the site shell links (issue #24, point 5: only the CSS the
pages use) keeps every class a template names."""

import re
from pathlib import Path

import pytest

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
