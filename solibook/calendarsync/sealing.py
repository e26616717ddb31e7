"""Secrets of calendar connections (a CalDAV password, Google's tokens) are
stored sealed with Fernet (AES-128-CBC + HMAC-SHA256), under a key derived
from CALENDARSYNC_SECRET_KEY (or SECRET_KEY): a copy of the database alone
does not give a master's calendar away."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    root = getattr(settings, "CALENDARSYNC_SECRET_KEY", "") or settings.SECRET_KEY
    key = hashlib.sha256(b"solibook.calendarsync:" + root.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def unseal(value: str) -> str:
    """The secret, or "" when it cannot be opened (the key changed): the
    connection then asks to be reconnected rather than failing obscurely."""
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return ""
