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

from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.core.tenancy import business_scope
from solibook.testing.salon import NOW


class Mailbox:
    """aiosmtpd handler: keeps every accepted message, parsed; refuses
    recipients listed in `refuse` with a temporary 451."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
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
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port(), loop=asyncio.new_event_loop())
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


def book(salon, start, *, client=None, master=None, now=NOW, **kwargs):
    with business_scope(salon.business):
        return appointment_create(
            business=salon.business, location_id=salon.location.pk, specs=[ItemSpec(salon.cut.pk, master_id=(master or salon.lea).pk)],
            start=start, source=Source.BACK_OFFICE, client=client, now=now, **kwargs,
        )
