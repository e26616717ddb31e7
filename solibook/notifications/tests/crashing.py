"""An e-mail provider that kills its own process (SIGKILL, no cleanup) when
it is about to send message number CRASH_AFTER + 1: a worker dying in the
middle of a batch, for test_worker_killed_mid_batch."""

import os
import signal

from solibook.notifications.providers import EmailProvider

_sent = 0


class CrashingEmailProvider(EmailProvider):
    def send(self, message):
        global _sent
        if _sent >= int(os.environ.get("CRASH_AFTER", "0")):
            os.kill(os.getpid(), signal.SIGKILL)
        message_id = super().send(message)
        _sent += 1
        return message_id
