"""Other areas' signals that billing hears (connected in apps.py).

- `core.signals.sms_sent`: an SMS sent for a salon counts against its plan's
  credits and is charged beyond them (`services.sms_record`, once per source).
"""

from django.dispatch import receiver

from solibook.billing import services
from solibook.core.signals import sms_sent


@receiver(sms_sent, dispatch_uid="billing.sms_sent")
def on_sms_sent(sender, business, source, sent_at=None, **kwargs) -> None:
    services.sms_record(business=business, source=source, now=sent_at)
