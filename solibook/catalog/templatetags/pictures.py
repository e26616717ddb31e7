"""{% picture %}: a stored picture as a responsive, lazy-loaded <img>.

    {% load pictures %}
    {% picture photo sizes="(min-width: 768px) 25vw, 50vw" alt=business.name class="img-fluid" %}

renders `<img src srcset sizes width height alt loading="lazy" decoding="async">`
from a `LocationPhoto` or `MasterPhoto` (its WebP renditions make the srcset,
its JPEG the src). `alt` defaults to the picture's description; pass
`loading="eager"` (and `fetchpriority="high"`) for a cover above the fold.
A bare image field (e.g. a business logo) renders as a plain lazy <img>.
"""

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

register = template.Library()


def _srcset(renditions) -> str:
    return ", ".join(
        f"{default_storage.url(r['name'])} {int(r['w'])}w" for r in renditions if r.get("name")
    )


@register.simple_tag
def picture(
    obj,
    sizes: str = "100vw",
    alt: str | None = None,
    loading: str = "lazy",
    **attrs,
) -> str:
    if not obj:
        return ""
    image = getattr(obj, "image", obj)  # a picture row, or an image field itself
    if not image:
        return ""
    width = getattr(obj, "width", None) or getattr(image, "width", None)
    height = getattr(obj, "height", None) or getattr(image, "height", None)
    text = alt if alt is not None else getattr(obj, "caption", "")
    srcset = _srcset(getattr(obj, "renditions", None) or [])
    shown: dict[str, object] = {"src": image.url}
    if srcset:
        shown.update(srcset=srcset, sizes=sizes)
    if width and height:
        shown.update(width=width, height=height)
    shown.update(alt=text or "", loading=loading, decoding="async")
    shown.update({k.replace("_", "-"): v for k, v in attrs.items() if v not in (None, "")})
    return format_html("<img{}>", format_html_join("", ' {}="{}"', shown.items()))
