from django.urls import path

from solibook.marketplace.api import views as marketplace

app_name = "marketplace_api"

urlpatterns = [
    path("marketplace/search/", marketplace.MarketplaceSearchApi.as_view(), name="search"),
    path(
        "marketplace/salons/<slug:slug>/", marketplace.MarketplaceSalonApi.as_view(), name="salon"
    ),
    path("marketplace/compare/", marketplace.MarketplaceCompareApi.as_view(), name="compare"),
]
