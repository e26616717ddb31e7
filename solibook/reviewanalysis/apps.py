from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewanalysisConfig(AppConfig):
    name = "solibook.reviewanalysis"
    label = "reviewanalysis"
    verbose_name = _("Review analysis")

    def ready(self) -> None:
        from solibook.reviewanalysis import receivers  # noqa: F401
