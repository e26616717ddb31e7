"""The periodic jobs of loyalty and referrals (run from cron, e.g. hourly).

Each is safe to run again or concurrently: every grant is unique per key and
expiry recomputes what is due under the account's lock.
"""

from django.core.management.base import BaseCommand

from solibook.loyalty.services import points_expire_all
from solibook.referrals.services import rewards_release_due, salon_invites_settle


class Command(BaseCommand):
    help = "Expire points, release referral rewards after their review period, credit salons whose invitee went live."

    def handle(self, *args, **options):
        expired = points_expire_all()
        released = rewards_release_due()
        settled = salon_invites_settle()
        self.stdout.write(
            f"points expired: {expired}; rewards released: {released}; salon invitations credited: {settled}"
        )
