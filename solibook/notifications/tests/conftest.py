"""A real SMTP server (aiosmtpd) on a free loopback port, and Django's SMTP
backend pointed at it; and a helper to book through the booking services."""

import asyncio
import email
import logging
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd handler: keeps every accepted message, parsed; refuses
    recipients listed in `refuse` with a temporary 451."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.reject: set[str] = set()  # 550: no such mailbox
        self.lock = threading.Lock()
        self.connections: list[tuple] = []  # each message's client address and port

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "451 4.3.0 Mailbox busy, try again later"
        if address in self.reject:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self.lock:
            self.messages.append(message)
            self.connections.append(tuple(session.peer))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line
    mailbox = Mailbox()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=_free_port(), loop=asyncio.new_event_loop()
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Solibook <no-reply@solibook.test>"
    settings.NOTIFICATIONS_CHANNELS = ["email"]
    settings.NOTIFICATIONS_REMINDER_MINUTES = [24 * 60, 2 * 60]
    try:
        yield mailbox
    finally:
        controller.stop()


# --- a local HTTP API (SMS / WhatsApp / push services) ------------------------------
import json as _json  # noqa: E402
import time as _time  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


class Recorded:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def json(self):
        return _json.loads(self.body)


class HttpApi:
    """Records every request; answers with `status`/`payload` after `delay` seconds."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.status = 200
        self.payload: dict | bytes = {"id": "msg-1"}
        self.delay = 0.0
        self.url = ""

    def answer(self, status, payload=None, delay=0.0):
        self.status, self.payload, self.delay = (
            status,
            payload if payload is not None else {},
            delay,
        )


@pytest.fixture
def http_api():
    api = HttpApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            api.requests.append(
                Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if api.delay:
                _time.sleep(api.delay)
            data = (
                api.payload if isinstance(api.payload, bytes) else _json.dumps(api.payload).encode()
            )
            try:
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if api.status == 201:
                    self.send_header("Location", f"{api.url}/messages/{len(api.requests)}")
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


_VAPID_PEM: list[str] = []


@pytest.fixture(autouse=True)
def vapid_key(settings):
    """A VAPID key per test session (never one written into var/)."""
    if not _VAPID_PEM:
        from py_vapid import Vapid

        key = Vapid()
        key.generate_keys()
        _VAPID_PEM.append(key.private_pem().decode())
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = _VAPID_PEM[0]
    settings.NOTIFICATIONS_VAPID_SUBJECT = "mailto:ops@solibook.test"
    settings.NOTIFICATIONS_PUSH_ALLOW_LOCAL_HTTP = True
    return _VAPID_PEM[0]
