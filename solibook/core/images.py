"""Uploaded photos: checked, decoded and re-encoded before they are stored.

`photo_sanitize` refuses what is too big or not an image (by decoding it with
Pillow, not by trusting the name or the Content-Type), bounds the pixel count
(decompression bombs), applies the EXIF orientation, and writes a fresh JPEG,
PNG or WebP without any metadata: no EXIF (GPS position, camera serial), no
XMP, no ICC comments. Use it in every service that stores an upload.
"""

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from solibook.core.errors import refuse

# Decoded format -> (format to write, extension, keeps transparency).
_OUTPUT = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
    "MPO": ("JPEG", "jpg"),  # phone cameras' multi-picture JPEG
    "GIF": ("PNG", "png"),  # a logo: its first frame, losslessly
}
MAX_SIDE = 8000


def photo_decode(
    upload,
    *,
    field: str = "image",
    max_bytes: int | None = None,
    max_side: int = MAX_SIDE,
) -> tuple[Image.Image, str]:
    """The pixels of `upload`, orientation applied, with no metadata at all,
    and the format it was decoded as. Refuses (ValidationFailed on `field`)
    what is too large, not an image, or a decompression bomb."""
    max_bytes = max_bytes or settings.PHOTO_MAX_BYTES
    too_large = _("The photo is too large (at most %(mb)s MB).") % {
        "mb": max_bytes // (1024 * 1024)
    }
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        refuse(too_large, field, code="bad_image")
    upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        refuse(too_large, field, code="bad_image")
    Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format
                probe.verify()  # structure check; the image must be reopened after
            image: Image.Image
            with Image.open(io.BytesIO(raw)) as image:
                if kind is None or kind not in _OUTPUT:
                    refuse(_("Upload a JPEG, PNG or WebP photo."), field, code="bad_image")
                # Checked before decoding the pixels: the header gives the size.
                if max(image.size) > max_side:
                    refuse(
                        _("The photo is too large (at most %(px)s pixels a side).")
                        % {"px": max_side},
                        field,
                        code="bad_image",
                    )
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode in ("P", "PA", "LA", "I", "I;16", "F"):
                    image = image.convert("RGBA")
                elif image.mode not in ("RGB", "RGBA", "L"):
                    image = image.convert("RGB")
                clean = Image.new(image.mode, image.size)
                clean.paste(image)  # pixels only: no info, exif, icc or xmp carried over
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        refuse(
            _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image."),
            field,
            code="bad_image",
        )
    return clean, kind


def photo_sanitize(
    upload, *, field: str = "image", max_bytes: int | None = None, name: str = "photo"
) -> ContentFile:
    """A clean copy of `upload` (a Django UploadedFile or any file object)."""
    clean, kind = photo_decode(upload, field=field, max_bytes=max_bytes)
    out_format, extension = _OUTPUT[kind]
    if out_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    options = (
        {"quality": 88, "optimize": True} if out_format in ("JPEG", "WEBP") else {"optimize": True}
    )
    clean.save(buffer, format=out_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")
