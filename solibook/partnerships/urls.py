from django.urls import path

from solibook.partnerships.views import office, public

app_name = "partnerships"

P = "office/<slug:business_slug>/partnerships/"

urlpatterns = [
    path(P, office.landing_list, name="landing_list"),
    path(f"{P}<id:landing_id>/", office.landing_detail, name="landing_detail"),
    path(f"{P}<id:landing_id>/active/", office.landing_active, name="landing_active"),
    # Public: the salon's slug is not a back-office scope here (anyone may read it).
    path("partnerships/<slug:salon>/<slug:page>/", public.landing, name="public"),
]
