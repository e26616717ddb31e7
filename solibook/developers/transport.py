"""Sending one webhook: resolve, check the address, connect to that address.

Server-side request forgery: a subscriber's URL must not lead our servers to
an internal address (a database, the cloud's metadata service on
169.254.169.254, localhost). The host is resolved once, every address it
resolves to must be public, and the connection goes to the checked address
(with the original host name for TLS and `Host`), so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot reach
anything else. Redirects are never followed: a 3xx is a failure.
`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES` (tests, the demo of `make run`) lifts the
check so that a subscriber on this machine can be reached.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(Exception):
    """The URL is not one we may call; the message says why (translated)."""


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return ip.is_global and not ip.is_multicast


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False))


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, the address to connect to) or AddressRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("Enter an http:// or https:// address."))
    if parts.username or parts.password:
        raise AddressRefused(_("The address must not contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise AddressRefused(_("The address has an invalid port.")) from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(_("This host name does not resolve.")) from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise AddressRefused(_("This host name does not resolve."))
    if not allow_private() and not all(_public(ip) for ip in addresses):
        raise AddressRefused(
            _("This address leads to a private or local network; use a public address.")
        )
    return parts.hostname, port, str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST once; never raises for the subscriber's faults, returns them."""
    started = time.monotonic()

    def done(status: int | None, error: str) -> Outcome:
        return Outcome(status, error[:300], int((time.monotonic() - started) * 1000))

    try:
        host, port, address = check_url(url)
    except AddressRefused as exc:
        return done(None, str(exc))
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = float(getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 5))
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = kind(host, port, address, timeout)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(64 * 1024)  # a little of the answer; the rest is not ours to keep
        status = response.status
    except TimeoutError:
        return done(None, "timed out")
    except (OSError, http.client.HTTPException) as exc:
        return done(None, f"connection failed: {exc.__class__.__name__}")
    finally:
        conn.close()
    if 300 <= status < 400:
        return done(status, "redirect not followed")
    if not 200 <= status < 300:
        return done(status, f"HTTP {status}")
    return done(status, "")
