"""One adapter per network: turn a post into the network's API calls.

Each network's base URL comes from settings (`SOCIAL_API_BASES`), so
production talks to the real APIs and the tests to local servers that check
every request. Calls use the standard library (`urllib`), with a timeout.
An adapter returns the network's id of the published post or raises
`PublishError` with a kind the salon can act on:

- `expired_token`: the token was refused (reconnect the profile);
- `rate_limited`: the network asks to wait (retry later);
- `refused`: anything else the network said no to (its message is kept).

In the demo profile (`SOCIAL_SANDBOX`, on when `DEMO_INBOX` is) nothing
leaves the machine: the post goes to the demo inbox as an e-mail to the
profile, so a newcomer sees what would have been published.
"""

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

DEFAULT_BASES = {
    "facebook": "https://graph.facebook.com/v19.0",
    "instagram": "https://graph.facebook.com/v19.0",
    "telegram": "https://api.telegram.org",
    "vk": "https://api.vk.com",
}
VK_VERSION = "5.199"
TIMEOUT = 15


@dataclass(frozen=True)
class Message:
    text: str  # the post's text with its link
    link: str  # absolute tracked link
    image_path: Path | None  # the picture's file, for uploads
    image_url: str  # the picture's absolute public URL ("" without one)


class PublishError(Exception):
    def __init__(self, kind: str, detail: str, *, retry_after: int | None = None):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail[:250]
        self.retry_after = retry_after


def base_url(network: str) -> str:
    bases = getattr(settings, "SOCIAL_API_BASES", None) or {}
    return (bases.get(network) or DEFAULT_BASES[network]).rstrip("/")


def sandboxed() -> bool:
    return bool(getattr(settings, "SOCIAL_SANDBOX", getattr(settings, "DEMO_INBOX", False)))


# --- HTTP -------------------------------------------------------------------------------


def _multipart(fields: dict[str, str], files: dict[str, Path]) -> tuple[bytes, str]:
    boundary = f"solibook{secrets.token_hex(12)}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, path in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + path.read_bytes()
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _call(
    url: str, fields: dict[str, str], files: dict[str, Path] | None = None
) -> tuple[int, Any]:
    """POST and read the JSON answer, whatever the status."""
    if files:
        data, content_type = _multipart(fields, files)
    else:
        data = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    if not url.startswith(("https://", "http://")):
        raise PublishError("refused", "bad API address")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, data=data, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (https bases)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PublishError("unreachable", str(getattr(exc, "reason", exc))) from exc
    try:
        return status, json.loads(raw or b"{}")
    except ValueError as exc:
        raise PublishError("refused", f"HTTP {status}") from exc


# --- networks -----------------------------------------------------------------------


def _telegram(profile, message: Message) -> str:
    base = f"{base_url('telegram')}/bot{profile.token}"
    if message.image_path is not None and message.image_path.exists():
        status, answer = _call(
            f"{base}/sendPhoto",
            {"chat_id": profile.external_id, "caption": message.text[:1024]},
            {"photo": message.image_path},
        )
    else:
        status, answer = _call(
            f"{base}/sendMessage", {"chat_id": profile.external_id, "text": message.text}
        )
    if answer.get("ok"):
        return str(answer["result"]["message_id"])
    code = answer.get("error_code", status)
    detail = answer.get("description", f"HTTP {status}")
    if code == 429:
        retry = (answer.get("parameters") or {}).get("retry_after")
        raise PublishError("rate_limited", detail, retry_after=retry)
    if code in (401, 403):
        raise PublishError("expired_token", detail)
    raise PublishError("refused", detail)


FACEBOOK_TOKEN_CODES = {102, 190}
FACEBOOK_RATE_CODES = {4, 17, 32, 613}


def _graph_error(status: int, answer: dict) -> PublishError:
    error = answer.get("error") or {}
    code = error.get("code")
    detail = error.get("message", f"HTTP {status}")
    if code in FACEBOOK_TOKEN_CODES:
        return PublishError("expired_token", detail)
    if code in FACEBOOK_RATE_CODES:
        return PublishError("rate_limited", detail)
    return PublishError("refused", detail)


def _facebook(profile, message: Message) -> str:
    base = f"{base_url('facebook')}/{profile.external_id}"
    if message.image_path is not None and message.image_path.exists():
        status, answer = _call(
            f"{base}/photos",
            {"caption": message.text, "access_token": profile.token},
            {"source": message.image_path},
        )
        if status == 200 and "id" in answer:
            return str(answer.get("post_id") or answer["id"])
    else:
        status, answer = _call(
            f"{base}/feed",
            {"message": message.text, "link": message.link, "access_token": profile.token},
        )
        if status == 200 and "id" in answer:
            return str(answer["id"])
    raise _graph_error(status, answer)


def _instagram(profile, message: Message) -> str:
    if not message.image_url:
        raise PublishError("needs_picture", "Instagram publishes pictures only.")
    base = f"{base_url('instagram')}/{profile.external_id}"
    status, answer = _call(
        f"{base}/media",
        {"image_url": message.image_url, "caption": message.text, "access_token": profile.token},
    )
    if status != 200 or "id" not in answer:
        raise _graph_error(status, answer)
    status, answer = _call(
        f"{base}/media_publish", {"creation_id": answer["id"], "access_token": profile.token}
    )
    if status != 200 or "id" not in answer:
        raise _graph_error(status, answer)
    return str(answer["id"])


VK_TOKEN_CODES = {5, 27, 28}
VK_RATE_CODES = {6, 9, 29}


def _vk_method(profile, method: str, fields: dict[str, str]) -> Any:
    status, answer = _call(
        f"{base_url('vk')}/method/{method}",
        {**fields, "access_token": profile.token, "v": VK_VERSION},
    )
    if "response" in answer:
        return answer["response"]
    error = answer.get("error") or {}
    code, detail = error.get("error_code"), error.get("error_msg", f"HTTP {status}")
    if code in VK_TOKEN_CODES:
        raise PublishError("expired_token", detail)
    if code in VK_RATE_CODES:
        raise PublishError("rate_limited", detail)
    raise PublishError("refused", detail)


def _vk(profile, message: Message) -> str:
    group_id = profile.external_id.lstrip("-")
    attachments = [message.link]
    if message.image_path is not None and message.image_path.exists():
        server = _vk_method(profile, "photos.getWallUploadServer", {"group_id": group_id})
        status, uploaded = _call(server["upload_url"], {}, {"photo": message.image_path})
        if status != 200 or not uploaded.get("photo"):
            raise PublishError("refused", f"photo upload: HTTP {status}")
        saved = _vk_method(
            profile,
            "photos.saveWallPhoto",
            {
                "group_id": group_id,
                "server": str(uploaded["server"]),
                "photo": uploaded["photo"],
                "hash": uploaded["hash"],
            },
        )
        attachments.insert(0, f"photo{saved[0]['owner_id']}_{saved[0]['id']}")
    answer = _vk_method(
        profile,
        "wall.post",
        {
            "owner_id": f"-{group_id}",
            "from_group": "1",
            "message": message.text,
            "attachments": ",".join(attachments),
        },
    )
    return str(answer["post_id"])


def _sandbox(profile, message: Message) -> str:
    """The demo: the post lands in the demo inbox, addressed to the profile."""
    send_mail(
        subject=f"[{profile.get_network_display()}] {profile.name}",
        message=f"{message.text}\n\n{message.image_url}".strip(),
        from_email=None,
        recipient_list=[f"{profile.network}-{profile.pk}@social.demo.invalid"],
    )
    return f"demo-{secrets.token_hex(6)}"


ADAPTERS = {"telegram": _telegram, "facebook": _facebook, "instagram": _instagram, "vk": _vk}


def publish(profile, message: Message, *, sandbox: bool | None = None) -> str:
    """`sandbox`: True sends to the demo inbox whatever the settings (the demo's seed)."""
    if sandboxed() if sandbox is None else sandbox:
        return _sandbox(profile, message)
    return ADAPTERS[profile.network](profile, message)
