"""/api/schema/, generated once per deploy, language and format, then served
from Django's cache.

(Apart from solibook/api/schema.py: drf-spectacular's view imports the default
schema class as it is defined.)
"""

import functools
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language, get_supported_language_variant
from drf_spectacular.views import SpectacularAPIView
from rest_framework.settings import api_settings

_STARTED = str(time.time_ns())


@functools.cache
def deploy_version() -> str:
    """What a new deploy changes: `SCHEMA_VERSION` (or the `GIT_REVISION` environment
    variable) when the deploy sets one, so that processes sharing a cache (Redis) share
    one schema; else this process's start, so a process never serves a schema older
    than its code (the default cache is per process anyway)."""
    return getattr(settings, "SCHEMA_VERSION", "") or os.environ.get("GIT_REVISION", "") or _STARTED


def language() -> str:
    """The active language as a supported one: an unknown `?lang=` neither
    fills the cache with copies nor makes a request generate anew."""
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class CachedSchemaView(SpectacularAPIView):
    """/api/schema/, rendered once per deploy version, language (Accept-Language
    or `?lang=`), API version and format, then served from the cache."""

    cache_timeout = 7 * 24 * 3600

    def cache_key(self, request) -> str:
        renderer, media_type = self.perform_content_negotiation(request, force=True)
        api_version = self.api_version or request.version or self._get_version_parameter(request)
        return ":".join(
            [
                "api-schema",
                deploy_version(),
                language(),
                str(api_version or ""),
                renderer.format,
                media_type,
            ]
        )

    def _get_version_parameter(self, request):
        # The API is versioned by its path (/api/v1/), not by `?version=`: a
        # free-form one would only rename the schema, and each a new cache entry.
        if not api_settings.ALLOWED_VERSIONS:
            return None
        return super()._get_version_parameter(request)

    def _get_schema_response(self, request):
        key = self.cache_key(request)
        cached = cache.get(key)
        if cached is None:
            response = super()._get_schema_response(request)
            response = self.finalize_response(request, response)
            response.render()
            cached = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
            cache.set(key, cached, self.cache_timeout)
        content, content_type, disposition = cached
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )
