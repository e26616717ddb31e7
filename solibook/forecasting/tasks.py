"""Background work of forecasting (Django tasks API; `db_worker` runs it)."""

from django_tasks import task

from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.forecasting import services


@task()
def refit_business(*, business_id: int) -> int:
    """Fit the forecasts of every location of a business (safe to run twice:
    each run replaces the location's one `ForecastRun`)."""
    with scopes_disabled():
        business = Business.objects.get(pk=business_id)
    with business_scope(business):
        return len(services.forecast_fit_business(business=business))
