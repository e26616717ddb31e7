"""Off-peak prices and promo codes."""

from django.urls import path

from solibook.offers.api import views as offers

app_name = "offers_api"

urlpatterns = [
    path("salons/<id:salon_id>/offers/", offers.SalonOffersApi.as_view(), name="salon_offers"),
    path(
        "businesses/<id:business_id>/off-peak-rules/",
        offers.OffPeakRulesApi.as_view(),
        name="offpeak_rules",
    ),
    path(
        "businesses/<id:business_id>/off-peak-rules/<id:rule_id>/",
        offers.OffPeakRuleDeleteApi.as_view(),
        name="offpeak_rule",
    ),
    path(
        "businesses/<id:business_id>/promo-codes/",
        offers.PromoCodesApi.as_view(),
        name="promo_codes",
    ),
    path(
        "businesses/<id:business_id>/promo-codes/<id:promo_id>/active/",
        offers.PromoCodeActiveApi.as_view(),
        name="promo_code_active",
    ),
]
