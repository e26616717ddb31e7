from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "solibook.referrals"
    label = "referrals"

    def ready(self) -> None:
        from solibook.referrals import receivers, tenders  # noqa: F401 - finance hooks
