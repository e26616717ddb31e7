"""Every write to the catalogue. Pages and API call these functions."""

from solibook.catalog.services.branding import branding_update
from solibook.catalog.services.business import (
    LOCATION_FIELDS,
    business_create,
    business_settings_create,
    business_update_settings,
    closure_add,
    closure_remove,
    holidays_import,
    holidays_propose,
    location_create,
    location_update,
    opening_hours_set,
)
from solibook.catalog.services.offerings import service_create, service_update
from solibook.catalog.services.onboarding import (
    COUNTRY_DEFAULTS,
    onboarding_editable,
    onboarding_progress,
    onboarding_services,
    onboarding_start,
    onboarding_submit,
    onboarding_team,
)
from solibook.catalog.services.pictures import (
    location_photo_add,
    location_photo_remove,
    location_photo_update,
    master_photo_add,
    master_photo_remove,
    master_photo_update,
)
from solibook.catalog.services.resources import (
    resource_create,
    resource_type_create,
    resource_type_update,
    resource_update,
)
from solibook.catalog.services.schedules import (
    date_override_set,
    time_off_add,
    time_off_remove,
    weekly_schedule_set,
)
from solibook.catalog.services.staff import master_create, master_update, team_member_user

__all__ = [
    "COUNTRY_DEFAULTS",
    "onboarding_editable",
    "onboarding_progress",
    "onboarding_services",
    "onboarding_start",
    "onboarding_submit",
    "onboarding_team",
    "LOCATION_FIELDS",
    "branding_update",
    "business_create",
    "business_settings_create",
    "business_update_settings",
    "closure_add",
    "closure_remove",
    "date_override_set",
    "holidays_import",
    "holidays_propose",
    "location_create",
    "location_photo_add",
    "location_photo_remove",
    "location_photo_update",
    "location_update",
    "master_create",
    "master_photo_add",
    "master_photo_remove",
    "master_photo_update",
    "master_update",
    "opening_hours_set",
    "resource_create",
    "resource_type_create",
    "resource_type_update",
    "resource_update",
    "service_create",
    "service_update",
    "team_member_user",
    "time_off_add",
    "time_off_remove",
    "weekly_schedule_set",
]
