"""Stock: products, stock per location, movements, transfers, recipes, counts."""

from django.urls import path

from solibook.inventory.api import views as stock

app_name = "inventory_api"

B = "businesses/<id:business_id>/stock/"

urlpatterns = [
    path(f"{B}products/", stock.StockProductListApi.as_view(), name="product_list"),
    path(
        f"{B}products/<id:product_id>/",
        stock.StockProductDetailApi.as_view(),
        name="product_detail",
    ),
    path(f"{B}locations/<id:location_id>/", stock.StockAtLocationApi.as_view(), name="at_location"),
    path(f"{B}movements/", stock.StockMovementListApi.as_view(), name="movement_list"),
    path(f"{B}transfers/", stock.StockTransferListApi.as_view(), name="transfer_list"),
    path(
        f"{B}transfers/<id:transfer_id>/receive/",
        stock.StockTransferReceiveApi.as_view(),
        name="transfer_receive",
    ),
    path(f"{B}recipes/<id:service_id>/", stock.RecipeApi.as_view(), name="recipe"),
    path(f"{B}counts/", stock.StockTakeStartApi.as_view(), name="stocktake_start"),
    path(
        f"{B}counts/<id:stock_take_id>/lines/",
        stock.StockTakeCountApi.as_view(),
        name="stocktake_count",
    ),
    path(
        f"{B}counts/<id:stock_take_id>/book/",
        stock.StockTakeBookApi.as_view(),
        name="stocktake_book",
    ),
    path(
        f"{B}visits/<id:appointment_id>/usage/", stock.VisitUsageApi.as_view(), name="visit_usage"
    ),
]
