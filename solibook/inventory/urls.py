from django.urls import path

from solibook.inventory.views import office

app_name = "inventory"

P = "office/<slug:business_slug>/stock/"

urlpatterns = [
    path(P, office.stock, name="stock"),
    path(f"{P}record/", office.movement_add, name="movement_add"),
    path(f"{P}minimum/", office.minimum_set, name="minimum_set"),
    path(f"{P}movements/", office.movements, name="movements"),
    path(f"{P}products/", office.products, name="products"),
    path(f"{P}products/<id:product_id>/", office.product_edit, name="product_edit"),
    path(f"{P}recipes/", office.recipes, name="recipes"),
    path(f"{P}recipes/<id:service_id>/", office.recipe_edit, name="recipe_edit"),
    path(f"{P}transfers/", office.transfers, name="transfers"),
    path(
        f"{P}transfers/<id:transfer_id>/receive/",
        office.transfer_receive,
        name="transfer_receive",
    ),
    path(f"{P}counts/", office.stocktakes, name="stocktakes"),
    path(f"{P}counts/<id:stock_take_id>/", office.stocktake, name="stocktake"),
    path(f"{P}counts/<id:stock_take_id>/book/", office.stocktake_book, name="stocktake_book"),
    path(f"{P}counts/<id:stock_take_id>/sheet/", office.stocktake_sheet, name="stocktake_sheet"),
    path(f"{P}visits/<id:appointment_id>/", office.visit_materials, name="visit_materials"),
]
