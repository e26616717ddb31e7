"""The dispatcher's e-mails written straight to bytes for Django's SMTP backend.

Django builds an e-mail as a tree of `email.mime` objects and Python's generator
then writes it out, folding and re-encoding every header on the way: together
about as long as the SMTP conversation itself, for every message. Our messages
have one shape (text, its HTML alternative, maybe a calendar attachment), so
`SerializedEmail` writes that shape directly: the same headers, the same MIME
structure and the same transfer encodings (8bit, or quoted-printable for a line
too long for SMTP, as Django chooses), RFC 2047 encoded words for a subject or a
sender's name outside ASCII. The bytes differ only where the standards leave a
choice (base64 rather than Q encoded words, no MIME-Version in the parts).

Anything else (more recipients, an address outside ASCII, a header line too
long, an attachment that is not text) is left to Django: `message()` then
returns Django's own message.
"""

import base64
import random
import re
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT
from django.core.mail.utils import DNS_NAME

_NEWLINE = re.compile(r"\r\n|\r|\n")  # what Python's generator takes for a line end
_CRLF = "\r\n"
# An encoded word holds at most this many bytes of UTF-8: base64 makes 52
# characters of them, 64 with the `=?utf-8?b?...?=` around them, so that a
# header's first line ("Subject: " and one word) stays within 78 characters.
_WORD_BYTES = 39


def encoded_words(text: str) -> str:
    """`text` as RFC 2047 encoded words (UTF-8, base64), a character never split
    between two, one word a line."""
    words, chunk, size = [], [], 0
    for char in text:
        length = len(char.encode())
        if size + length > _WORD_BYTES:
            words.append("".join(chunk))
            chunk, size = [], 0
        chunk.append(char)
        size += length
    words.append("".join(chunk))
    return (_CRLF + " ").join(
        f"=?utf-8?b?{base64.b64encode(word.encode()).decode()}?=" for word in words
    )


def _mailbox(value: str) -> str | None:
    """A From address with its name encoded when needed; None: not ours to write."""
    name, address = parseaddr(value)
    if not address or not address.isascii() or "@" not in address:
        return None
    if name.isascii():
        return formataddr((name, address))
    return f"{encoded_words(name)}{_CRLF} <{address}>"


def _text_part(content: str, mimetype: str) -> bytes:
    lines = _NEWLINE.split(content)
    data = content.encode()
    if any(len(line.encode()) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in lines):
        from email import quoprimime

        encoding = "quoted-printable"
        body = quoprimime.body_encode(data.decode("latin-1"), eol=_CRLF).encode("ascii")
    else:
        encoding = "7bit" if data.isascii() else "8bit"
        body = _CRLF.join(lines).encode()
    head = f"Content-Type: {mimetype}{_CRLF}Content-Transfer-Encoding: {encoding}{_CRLF}"
    return head.encode() + _CRLF.encode() + body


def _boundary(parts: list[bytes]) -> bytes:
    while True:
        boundary = f"==============={random.randrange(10**19):019d}==".encode()  # noqa: S311 - not a secret
        if not any(boundary in part for part in parts):
            return boundary


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    """(Content-Type value, body) of a multipart made of `parts`."""
    boundary = _boundary(parts)
    delimiter = b"--" + boundary + b"\r\n"
    body = delimiter + (b"\r\n" + delimiter).join(parts) + b"\r\n--" + boundary + b"--\r\n"
    return f'multipart/{subtype};{_CRLF} boundary="{boundary.decode()}"', body


def _fold(name: str, value: str) -> str:
    """An ASCII value folded at its spaces into lines of 78 characters where it can be."""
    if len(name) + 2 + len(value) <= 78 or " " not in value:
        return value
    lines, line = [], ""
    width = 78 - len(name) - 2
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, width = word, 77  # a continuation line starts with its space
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return (_CRLF + " ").join(lines)


class SerializedEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose `message()` gives the bytes directly, for
    Django's SMTP backend (which asks only for `as_bytes`)."""

    def message(self):
        written = self._serialized()
        return written if written is not None else super().message()

    def _serialized(self) -> "_Written | None":
        if len(self.to) != 1 or self.cc or self.bcc or self.reply_to:
            return None
        if not self.to[0].isascii() or self.content_subtype != "plain":
            return None
        raw = {
            "Subject": str(self.subject),
            "From": str(self.extra_headers.get("From", self.from_email)),
            "To": self.to[0],
        }
        names = {name.lower() for name in self.extra_headers}
        if "date" not in names:
            raw["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in names:
            raw["Message-ID"] = make_msgid(domain=DNS_NAME)
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                raw[name] = str(value)
        for name, value in raw.items():
            if "\n" in value or "\r" in value:  # as Django: no header injection
                raise BadHeaderError(
                    f"Header values can't contain newlines (got {value!r} for header {name!r})"
                )
        sender = _mailbox(raw["From"])
        if sender is None:
            return None
        headers = {
            name: value if value.isascii() else encoded_words(value) for name, value in raw.items()
        }
        headers["From"] = sender
        for name, value in headers.items():
            if value.isascii() and "=?utf-8?b?" not in value:
                headers[name] = value = _fold(name, value)
            if any(len(line) > RFC5322_EMAIL_LINE_LENGTH_LIMIT - 2 for line in value.split(_CRLF)):
                return None

        body = _text_part(str(self.body), 'text/plain; charset="utf-8"')
        if self.alternatives:
            parts = [body]
            for content, mimetype in self.alternatives:
                if not isinstance(content, str) or not mimetype.startswith("text/"):
                    return None
                parts.append(_text_part(content, f'{mimetype}; charset="utf-8"'))
            content_type, payload = _multipart("alternative", parts)
            body = f"Content-Type: {content_type}{_CRLF}{_CRLF}".encode() + payload
        if self.attachments:
            parts = [body]
            for attachment in self.attachments:
                if not isinstance(attachment, tuple) or len(attachment) != 3:
                    return None
                filename, content, mimetype = attachment
                if not filename or not filename.isascii() or '"' in filename:
                    return None
                if not (mimetype or "").startswith("text/"):
                    return None
                if isinstance(content, bytes):
                    try:
                        content = content.decode()
                    except UnicodeDecodeError:
                        return None
                disposition = f'Content-Disposition: attachment; filename="{filename}"{_CRLF}'
                parts.append(disposition.encode() + _text_part(content, mimetype))
            content_type, payload = _multipart("mixed", parts)
            body = f"Content-Type: {content_type}{_CRLF}{_CRLF}".encode() + payload

        head = "".join(f"{name}: {value}{_CRLF}" for name, value in headers.items())
        return _Written(f"MIME-Version: 1.0{_CRLF}{head}".encode() + body)


class _Written:
    """What the SMTP backend takes from `message()`: the bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == _CRLF else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(unixfrom, linesep).decode()
