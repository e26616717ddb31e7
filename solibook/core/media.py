"""Serving uploaded public pictures when no front server does (`make run`).

Only the public folders are served (pictures, logos, masters' photos):
receipts and client files live under MEDIA_ROOT too and are never reachable
here. Pictures have random names and never change, so they are cached for a
year; a front server or object storage may take over (SERVE_MEDIA=0).
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def public_media(request, path: str):
    if not path.startswith(tuple(settings.MEDIA_PUBLIC_PREFIXES)) or ".." in path.split("/"):
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if path.startswith("pictures/"):
        response["Cache-Control"] = IMMUTABLE
    else:
        response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
