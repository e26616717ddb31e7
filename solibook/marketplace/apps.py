from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "solibook.marketplace"
    label = "marketplace"

    def ready(self) -> None:
        from solibook.marketplace import receivers

        receivers.connect()
