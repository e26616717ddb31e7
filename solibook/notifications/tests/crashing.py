"""An e-mail provider that kills its own process (SIGKILL, no cleanup) at one
step of a batch, for the crash tests (test_worker_crash):

- CRASH_STEP=claimed (default): about to send message number CRASH_AFTER + 1,
  which is claimed (`sending`) and not sent;
- CRASH_STEP=sent: right after the SMTP server accepted message number
  CRASH_AFTER + 1, before the dispatcher records it;
- CRASH_STEP=recorded: when the batch is over (every message of it sent and
  recorded) and at least CRASH_AFTER went out, before the next batch."""

import os
import signal

from solibook.notifications.providers import EmailProvider

_sent = 0


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class CrashingEmailProvider(EmailProvider):
    def send(self, message):
        global _sent
        step = os.environ.get("CRASH_STEP", "claimed")
        after = int(os.environ.get("CRASH_AFTER", "0"))
        if step == "claimed" and _sent >= after:
            _die()
        message_id = super().send(message)
        _sent += 1
        if step == "sent" and _sent > after:
            _die()
        return message_id

    def close(self):
        super().close()
        if os.environ.get("CRASH_STEP") == "recorded" and _sent >= int(
            os.environ.get("CRASH_AFTER", "0")
        ):
            _die()
