"""`manage.py run_billing`: renew subscriptions into the new month, issue last month's
invoices, remind unpaid ones (run hourly by `run_periodic`; safe to run again)."""

from django.core.management.base import BaseCommand

from solibook.billing.services import billing_run


class Command(BaseCommand):
    help = "Renew subscriptions, issue the monthly invoices, send payment reminders."

    def handle(self, *args, **options):
        done = billing_run()
        if options["verbosity"]:
            self.stdout.write(
                "renewed {renewed}, invoices issued {issued}, reminders {reminded}".format(**done)
            )
