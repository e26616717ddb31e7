"""Every SMS the notifications dispatcher sends for a salon (here through the demo's
inbox channel) is counted against the salon's plan once, even when the send runs twice."""

import pytest
from django_scopes import scopes_disabled

from solibook.billing import selectors, services
from solibook.billing.models import Charge, Plan
from solibook.demo.models import InboxMessage
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Notification, NotificationStatus
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def test_each_sms_sent_counts_once_free_within_the_credits_then_charged(salon, settings):
    settings.NOTIFICATIONS_CHANNELS = ["sms"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.demo.inbox.InboxSmsProvider",
    }
    settings.BILLING_SMS_PRICES = {"EUR": 8}
    services.subscription_start(business=salon.business, plan_code="starter", now=NOW)
    Plan.objects.filter(code="starter").update(sms_credits_month=1)
    for hour, phone in ((10, "+33612345671"), (12, "+33612345672")):
        book(salon, paris(hour), account=UserFactory(phone=phone))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 2
    with scopes_disabled():
        sms = list(Notification.objects.filter(channel="sms", status=NotificationStatus.SENT))
        charges = list(Charge.objects.filter(business=salon.business, kind="sms"))
    assert len(sms) == 2 and len(charges) == 2
    assert sorted(c.amount for c in charges) == [0, 8]  # one within the credit, one beyond
    # The send runs again (a worker lost its lease after the gateway took the message).
    with scopes_disabled():
        Notification.objects.filter(pk=sms[0].pk).update(
            status=NotificationStatus.PENDING, claimed_by=""
        )
    assert dispatch_due(now=NOW).sent == 1
    assert InboxMessage.objects.filter(channel="sms").count() == 3  # it went twice...
    with scopes_disabled():  # ...and counts once
        assert Charge.objects.filter(business=salon.business, kind="sms").count() == 2
    usage = selectors.sms_usage(salon.business)
    assert (usage.sent, usage.charged, usage.amount) == (2, 1, 8)
