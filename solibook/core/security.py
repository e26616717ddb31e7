"""Response-level security helpers.

Frame protection: every page answers `X-Frame-Options: DENY` and CSP
`frame-ancestors 'none'`, except the embeddable booking widget, which the
salon's own sites may frame. The widget's view ends with

    return allow_framing(response, business.embed_origins)

which replaces frame-ancestors with exactly those origins (validated
`https://host[:port]` by core.validators.clean_origin) and lifts
X-Frame-Options (it cannot list origins; CSP frame-ancestors wins in every
current browser). With no declared origin the widget stays unframeable.
"""

from django.core.exceptions import ValidationError

from solibook.core.validators import clean_origin


def embed_origins(values) -> list[str]:
    """The valid origins among `values` (anything else is dropped)."""
    out = []
    for value in values or []:
        try:
            out.append(clean_origin(str(value)))
        except ValidationError:
            continue
    return sorted(set(out))


def allow_framing(response, origins):
    allowed = embed_origins(origins)
    if not allowed:
        return response
    response._csp_replace = {**getattr(response, "_csp_replace", {}), "frame-ancestors": allowed}
    response.xframe_options_exempt = True
    return response
