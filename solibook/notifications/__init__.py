"""Notifications: confirmations, reminders, change and cancellation notices,
review requests, waitlist offers and no-show notices, sent exactly once in
the client's language; and each master's private calendar feed.

Flow: booking services write `core.OutboxEvent` rows in their transaction →
`consumer.consume_outbox` turns them into `Notification` rows (and marks
them processed) in one transaction → `dispatcher.dispatch_due` claims due
rows, sends them through `providers`, records the provider's message id.

Running the worker
------------------
`manage.py run_notifications` loops (consume, dispatch, sleep
NOTIFICATIONS_POLL_SECONDS); `--once` does one pass (cron-friendly). The same
work is available as Django tasks in `notifications.tasks`
(`notifications_pass.enqueue()`), for any tasks backend.

`make run` would start it beside `db_worker`, in the same way::

    $(PY) manage.py run_notifications & notifier=$$!; \
    trap 'kill $$worker $$notifier 2>/dev/null' EXIT INT TERM; \

In production run one or more `manage.py run_notifications` processes (a
systemd unit or container each) next to the web processes; on PostgreSQL
they share the work through SKIP LOCKED.

Settings (config/settings/base.py, NOTIFICATIONS_*): default reminder
offsets and channels (a salon overrides them with SalonNotificationSettings),
retry policy, SMS / WhatsApp provider classes and webhook URL and token, the
calendar UID domain.
"""
