"""The periodic jobs of referrals (run from cron, e.g. hourly, or `run_periodic`).

Each is safe to run again or concurrently: every grant is unique per key.
"""

from django.core.management.base import BaseCommand

from solibook.referrals.services import rewards_release_due, salon_invites_settle


class Command(BaseCommand):
    help = (
        "Release referral rewards after their review period; credit salons whose invitee went live."
    )

    def handle(self, *args, **options):
        released = rewards_release_due()
        settled = salon_invites_settle()
        self.stdout.write(f"rewards released: {released}; salon invitations credited: {settled}")
