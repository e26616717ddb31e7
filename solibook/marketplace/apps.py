from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "solibook.marketplace"
    label = "marketplace"
