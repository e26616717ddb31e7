"""The fitted forecast of each location, kept so pages read it at once.

`forecast_fit` (run daily by `run_periodic`, or on demand from the forecast
page through a task) writes one `ForecastRun` per location: the backtest's
figures, the method chosen, and the next 28 days per service and per
(category, hour) with their 80% intervals, as JSON.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class ForecastRun(TenantModel):
    class State(models.TextChoices):
        READY = "ready", _("Forecast ready")
        BASELINE = "baseline", _("Too little history for a model: a baseline is shown")
        NO_HISTORY = "no_history", _("Too little history to forecast")

    location = models.OneToOneField(
        "catalog.Location", on_delete=models.CASCADE, related_name="forecast_run"
    )
    state = models.CharField(max_length=12, choices=State.choices)
    fitted_at = models.DateTimeField()
    history_from = models.DateField(null=True, blank=True)
    history_to = models.DateField(null=True, blank=True)
    # {"service_day": {...}, "location_hour": {...}} (forecasting.services.forecast_fit)
    result = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["location_id"]

    def __str__(self) -> str:
        return f"{self.location_id} {self.state} {self.fitted_at:%Y-%m-%d %H:%M}"
