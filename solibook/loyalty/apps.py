from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "solibook.loyalty"
    label = "loyalty"

    def ready(self) -> None:
        from solibook.loyalty import receivers, tenders  # noqa: F401 - finance hooks
