"""Receipt uploads: a photo (JPEG, PNG, WebP) or a PDF, at most 10 MB.

The type is read from the file's first bytes, not from its name or the
browser's Content-Type, and images must decode (Pillow), so a renamed
executable or a truncated photo is refused with a clear message.
"""

from django.utils.translation import gettext as _

from solibook.core.errors import refuse

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "webp": ".webp"}


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_receipt(upload) -> str:
    """Validate an uploaded file; returns the extension to store it under."""
    if upload.size is None or upload.size > MAX_RECEIPT_BYTES:
        refuse(_("The receipt is larger than 10 MB."), "receipt")
    if upload.size == 0:
        refuse(_("The receipt file is empty."), "receipt")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        refuse(_("A receipt must be a PDF or an image (JPEG, PNG or WebP)."), "receipt")
    if kind != "pdf":
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            refuse(_("The receipt image cannot be read."), "receipt")
        finally:
            upload.seek(0)
    return EXTENSIONS[kind]
