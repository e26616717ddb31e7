"""The salon page fetches the map's and the tour's libraries only when they are
needed (issue #24, point 5): the page names them on their elements, salon.js loads
them when the element scrolls near; no <script> or stylesheet of theirs is in it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.marketplace.tests.conftest import refresh

pytestmark = pytest.mark.django_db


def test_the_map_library_waits_for_the_map(client, salon):
    with scopes_disabled():
        Location.objects.filter(pk=salon.location.pk).update(latitude=48.8566, longitude=2.3522)
    refresh(salon.business)
    html = client.get(reverse("marketplace:salon", args=[salon.business.slug])).content.decode()
    tag = re.search(r'<div id="salon-map"[^>]*>', html).group(0)
    assert re.search(r'data-script="[^"]*/vendor/leaflet/leaflet[^"]*\.js"', tag)
    assert re.search(r'data-style="[^"]*/vendor/leaflet/leaflet[^"]*\.css"', tag)
    assert not re.search(r"<script[^>]*leaflet", html)
    assert not re.search(r"<link[^>]*leaflet", html)
    assert not re.search(r"<(script|link)[^>]*pannellum", html)
    # salon.js itself starts after the first paint (js/core/after-paint.js).
    assert re.search(
        r'<script type="text/x-after-paint" data-src="[^"]*/js/marketplace/salon[^"]*\.js">', html
    )


def test_the_script_loads_each_library_when_its_element_is_seen():
    script = (Path(__file__).resolve().parents[2] / "static/js/marketplace/salon.js").read_text()
    assert "IntersectionObserver" in script
    assert 'whenSeen(document.getElementById("salon-map"), initMap)' in script
    assert 'whenSeen(document.getElementById("salon-tour"), initTour)' in script
