"""Run the support desk's SMTP server: e-mail in becomes tickets and replies
(`support.inbound`). Put it behind the domain's MX (or a relay) in production;
`make run` users can send to it with any mail client on the port."""

import time

from aiosmtpd.controller import Controller
from django.core.management.base import BaseCommand

from solibook.support.inbound import DATA_SIZE_LIMIT, SupportHandler


class Command(BaseCommand):
    help = "Receive support e-mail over SMTP: new requests and replies by plus-address."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, host: str, port: int, **options):
        controller = Controller(
            SupportHandler(), hostname=host, port=port, data_size_limit=DATA_SIZE_LIMIT
        )
        controller.start()
        self.stdout.write(f"support SMTP listening on {host}:{port}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
