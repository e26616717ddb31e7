"""The picture pipeline: an upload becomes a clean JPEG and responsive WebP copies.

`picture_prepare` decodes the upload with `core.images.photo_decode` (a real
image, size and pixel limits against decompression bombs, orientation
applied, every byte of metadata dropped), checks a panorama's shape, and
encodes the stored picture (JPEG, at most `MAX_WIDTH` wide) and its
renditions (WebP, `WIDTHS` narrower than the picture). `picture_store` writes
them under `pictures/<business>/` with random names (so a URL never changes
meaning and can be cached forever); `picture_files_delete` removes them.
Nothing here touches the database: the services in `catalog.services.pictures` do.
"""

import io
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from solibook.core.errors import refuse
from solibook.core.images import photo_decode

# 960: a cover across a phone's screen (about 390 CSS px at a device pixel ratio of
# 1.75 to 2.5) needs 680-980 pixels; without it such a phone got the 1280 copy.
WIDTHS = (320, 640, 960, 1280)
MAX_WIDTH = 2048
# Equirectangular panoramas: twice as wide as high, large enough to look sharp,
# small enough for a phone's WebGL texture once stored.
PANORAMA_MIN_WIDTH = 2000
PANORAMA_MAX_SIDE = 12000
PANORAMA_STORED_WIDTH = 4096
PANORAMA_RATIO_TOLERANCE = 0.02


@dataclass
class Prepared:
    image: bytes
    width: int
    height: int
    renditions: list[tuple[int, int, bytes]] = field(default_factory=list)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _resized(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(buffer, format="WEBP", quality=80, method=2)
    return buffer.getvalue()


def panorama_check(width: int, height: int, *, field: str = "image") -> None:
    """Refuse what is not an equirectangular panorama: 2:1 and wide enough."""
    if abs(width / height - 2) > 2 * PANORAMA_RATIO_TOLERANCE:
        refuse(
            _(
                "A 360° panorama must be an equirectangular image twice as wide as it is "
                "high (this one is %(width)s × %(height)s pixels)."
            )
            % {"width": width, "height": height},
            field,
            code="bad_panorama",
        )
    if width < PANORAMA_MIN_WIDTH:
        refuse(
            _("A 360° panorama must be at least %(min)s pixels wide (this one is %(width)s).")
            % {"min": PANORAMA_MIN_WIDTH, "width": width},
            field,
            code="bad_panorama",
        )


def picture_prepare(
    upload, *, panorama: bool = False, field: str = "image", max_bytes: int | None = None
) -> Prepared:
    """Decode, check and encode `upload`; refuses with ValidationFailed on `field`."""
    if panorama:
        decoded, _kind = photo_decode(
            upload, field=field, max_bytes=max_bytes, max_side=PANORAMA_MAX_SIDE
        )
        panorama_check(decoded.width, decoded.height, field=field)
        stored = _resized(_flatten(decoded), PANORAMA_STORED_WIDTH)
        widths: tuple[int, ...] = (640,)  # a preview; the viewer loads the full picture
    else:
        decoded, _kind = photo_decode(upload, field=field, max_bytes=max_bytes)
        stored = _resized(_flatten(decoded), MAX_WIDTH)
        widths = WIDTHS
    prepared = Prepared(image=_encode(stored, "JPEG"), width=stored.width, height=stored.height)
    for width in widths:
        if width >= stored.width:
            break
        copy = _resized(stored, width)
        prepared.renditions.append((copy.width, copy.height, _encode(copy, "WEBP")))
    # The picture itself, as WebP, closes the list: srcset then covers every width.
    prepared.renditions.append((stored.width, stored.height, _encode(stored, "WEBP")))
    return prepared


def picture_store(prepared: Prepared, *, business_id: int) -> tuple[str, list[dict]]:
    """Write the files; returns the picture's storage name and its renditions."""
    stem = f"pictures/{business_id}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        name = default_storage.save(f"{stem}.jpg", ContentFile(prepared.image))
        written.append(name)
        renditions = []
        for width, height, data in prepared.renditions:
            saved = default_storage.save(f"{stem}-{width}.webp", ContentFile(data))
            written.append(saved)
            renditions.append({"w": width, "h": height, "name": saved})
    except Exception:
        picture_files_delete(written)
        raise
    return name, renditions


def picture_files(picture) -> list[str]:
    """Every storage name a picture row uses."""
    names = [picture.image.name] if picture.image else []
    return names + [r["name"] for r in picture.renditions or [] if r.get("name")]


def picture_files_delete(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
