from django.urls import path

from solibook.offers.views import office

app_name = "offers"

urlpatterns = [
    path("office/<slug:business_slug>/offers/", office.offers, name="office"),
    path(
        "office/<slug:business_slug>/offers/off-peak/<id:rule_id>/delete/",
        office.offpeak_delete,
        name="office_offpeak_delete",
    ),
    path(
        "office/<slug:business_slug>/offers/promo-codes/<id:promo_id>/active/",
        office.promo_toggle,
        name="office_promo_active",
    ),
]
