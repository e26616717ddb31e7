"""Signals that cross the import order: sent by a higher area, heard by a lower one.

- `sms_sent(business, source, sent_at)`: an SMS went out on behalf of `business`
  (`source` names the message, the same however many times it went). The
  notifications dispatcher sends it; billing counts it against the salon's plan
  (`billing.services.sms_record`, once per source).
"""

from django.dispatch import Signal

sms_sent = Signal()
