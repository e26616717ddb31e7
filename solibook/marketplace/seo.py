"""Canonical URLs, hreflang alternates, OpenGraph and JSON-LD for public pages."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe


def alternates(request) -> list[tuple[str, str]]:
    """(language, absolute URL) of this page in every language, without the query."""
    url = request.build_absolute_uri(request.path)
    return [(code, translate_url(url, code)) for code, _name in settings.LANGUAGES]


def x_default(request) -> str:
    """The page for people whose language we do not have: the address without
    a language prefix, which sends each visitor to their own language. The
    sitemap (Django's `x_default`) names the same address."""
    code = settings.LANGUAGE_CODE
    url = translate_url(request.build_absolute_uri(request.path), code)
    return url.replace(f"/{code}/", "/", 1)


def canonical(request, keep: tuple[str, ...] = ()) -> str:
    url = request.build_absolute_uri(request.path)
    params = [(k, request.GET[k]) for k in keep if request.GET.get(k)]
    if params:
        url += "?" + urlencode(params)
    return url


def ld_json(data: dict) -> str:
    """JSON-LD safe to place inside <script type="application/ld+json"> (a data
    block, not code: the CSP does not apply to it)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308 - escaped above


def seo(
    request,
    *,
    title: str,
    description: str = "",
    image: str = "",
    jsonld: list[dict] | None = None,
    keep: tuple[str, ...] = (),
    noindex: bool = False,
) -> dict:
    return {
        "seo": {
            "title": title,
            "description": description[:300],
            "image": image,
            "canonical": canonical(request, keep),
            "alternates": alternates(request),
            "x_default": x_default(request),
            "jsonld": [ld_json(d) for d in (jsonld or [])],
            "noindex": noindex,
        }
    }
