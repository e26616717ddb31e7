from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "solibook.insights"
    label = "insights"
    verbose_name = "Insights"
