from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "solibook.billing"
    label = "billing"

    def ready(self) -> None:
        from solibook.billing import receivers  # noqa: F401 - SMS sent count against the plan
        from solibook.billing.services import limit_check
        from solibook.catalog import limits

        limits.register(limit_check)  # plan limits on new masters and locations
