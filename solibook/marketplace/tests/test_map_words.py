"""The salon page's map speaks the reader's language (issue #14, point 10): Leaflet's
zoom buttons and popup close button are English by themselves, so the page hands the
map script its words through data attributes (the CSP forbids inline scripts)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.marketplace.tests.conftest import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(salon):
    with scopes_disabled():
        Location.objects.filter(pk=salon.location.pk).update(latitude=48.8566, longitude=2.3522)
    refresh(salon.business)
    return salon


@pytest.mark.parametrize(
    ("lang", "zoom_in", "zoom_out", "close"),
    [
        ("en", "Zoom in", "Zoom out", "Close"),
        ("fr", "Zoom avant", "Zoom arrière", "Fermer"),
        ("ru", "Приблизить", "Отдалить", "Закрыть"),
        ("ar", "تكبير", "تصغير", "إغلاق"),
    ],
)
def test_the_map_gets_its_words_in_the_page_language(
    client, mapped, lang, zoom_in, zoom_out, close
):
    with translation.override(lang):
        url = reverse("marketplace:salon", args=[mapped.business.slug])
    html = client.get(url).content.decode()
    tag = re.search(r'<div id="salon-map"[^>]*>', html).group(0)
    assert f'data-zoom-in="{zoom_in}"' in tag
    assert f'data-zoom-out="{zoom_out}"' in tag
    assert f'data-close-popup="{close}"' in tag


def test_the_map_script_uses_the_pages_words():
    from pathlib import Path

    script = (
        Path(__file__).resolve().parents[2] / "static" / "js" / "marketplace" / "salon.js"
    ).read_text()
    assert "zoomControl: false" in script
    assert (
        "zoomInTitle: el.dataset.zoomIn" in script and "zoomOutTitle: el.dataset.zoomOut" in script
    )
