"""Attachments: what the desk accepts, checked before anything is written.

Allowed: JPEG, PNG, WebP and GIF pictures, PDF and plain text, at most
`MAX_BYTES` each and `MAX_FILES` per message. The declared type must agree with
the file's extension and its first bytes (a renamed executable is refused).
A refused file refuses the whole message: nothing of it is saved.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.core.errors import refuse

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5

# content type → (extensions, check of the first bytes)
ALLOWED: dict[str, tuple[tuple[str, ...], object]] = {
    "image/jpeg": ((".jpg", ".jpeg"), lambda b: b.startswith(b"\xff\xd8\xff")),
    "image/png": ((".png",), lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "image/gif": ((".gif",), lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    "image/webp": ((".webp",), lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
    "application/pdf": ((".pdf",), lambda b: b.startswith(b"%PDF-")),
    "text/plain": ((".txt", ".log"), lambda b: _is_text(b)),
}


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


def from_uploaded_files(files) -> list[Upload]:
    """Django's uploaded files as `Upload`s; a file over the limit is read only
    one byte past it (enough to refuse it), never whole into memory."""
    uploads = []
    for f in files:
        data = f.read(MAX_BYTES + 1)
        uploads.append(Upload(f.name or "file", (f.content_type or "").split(";")[0], data))
    return uploads


def check(uploads: list[Upload], field: str = "attachments") -> list[Upload]:
    if len(uploads) > MAX_FILES:
        refuse(
            ngettext(
                "Attach at most %(count)d file to one message.",
                "Attach at most %(count)d files to one message.",
                MAX_FILES,
            )
            % {"count": MAX_FILES},
            field,
        )
    checked = []
    for upload in uploads:
        name = PurePath(upload.name.replace("\\", "/")).name[:200] or "file"
        if len(upload.data) > MAX_BYTES:
            refuse(
                _("“%(name)s” is too large: attachments may be at most %(limit)s.")
                % {"name": name, "limit": filesizeformat(MAX_BYTES)},
                field,
                code="too_large",
            )
        if not upload.data:
            refuse(_("“%(name)s” is empty.") % {"name": name}, field)
        kind = ALLOWED.get(upload.content_type.lower())
        suffix = PurePath(name).suffix.lower()
        if kind is None or suffix not in kind[0] or not kind[1](upload.data):  # type: ignore[operator]
            refuse(
                _(
                    "“%(name)s” cannot be attached: send pictures (JPEG, PNG, WebP, GIF), "
                    "PDF or plain text."
                )
                % {"name": name},
                field,
                code="file_type",
            )
        checked.append(Upload(name, upload.content_type.lower(), upload.data))
    return checked
