"""Stock at Atelier Lumière (issue #18): back-bar colour and retail products
with EAN-13 barcodes, names in four languages, receipts a month ago at both
locations (at their cost: the weighted average starts there), the colouring's
recipe (60 ml of dye and 60 ml of developer, written off when a visit is
completed), minimum levels, and one low-stock alert (the developer at
Batignolles). Purchasing's demo adds the suppliers and an order in transit."""

from datetime import timedelta
from decimal import Decimal

from solibook.core.tenancy import business_scope
from solibook.demo.catalogue_data import BATIGNOLLES, MARAIS
from solibook.finance.models import Product
from solibook.inventory import services

SALON = "Atelier Lumière"
TILL_PRODUCT = "Shampoing Lumière 250 ml"  # made by solibook.demo.till
# name, fr, ru, ar, kind, unit, barcode, category, price, unit cost (cents a unit)
PRODUCTS = [
    (
        "Colour cream 6.0",
        "Coloration crème 6.0",
        "Крем-краска 6.0",
        "صبغة كريمية 6.0",
        "professional",
        "ml",
        "3760123450010",
        "Colour",
        0,
        "9.5",
    ),
    (
        "Developer 6 %",
        "Oxydant 6 %",
        "Оксидант 6 %",
        "مُظهر 6 %",
        "professional",
        "ml",
        "3760123450027",
        "Colour",
        0,
        "0.9",
    ),
    (
        "Repair mask",
        "Masque réparateur",
        "Восстанавливающая маска",
        "قناع مُصلح",
        "professional",
        "ml",
        "3760123450034",
        "Care",
        0,
        "3.2",
    ),
    (
        "Heat protection spray",
        "Spray thermo-protecteur",
        "Термозащитный спрей",
        "بخاخ حماية من الحرارة",
        "retail",
        "piece",
        "3760123450041",
        "Styling",
        2200,
        "900",
    ),
]
# (product, location) -> (received a month ago, minimum)
STOCK = {
    ("Colour cream 6.0", MARAIS): (1200, 300),
    ("Colour cream 6.0", BATIGNOLLES): (900, 300),
    ("Developer 6 %", MARAIS): (3000, 1000),
    ("Developer 6 %", BATIGNOLLES): (400, 1000),  # below its minimum: the alert
    ("Repair mask", MARAIS): (1000, 200),
    ("Heat protection spray", MARAIS): (12, 4),
    ("Heat protection spray", BATIGNOLLES): (8, 4),
    (TILL_PRODUCT, MARAIS): (20, 6),
    (TILL_PRODUCT, BATIGNOLLES): (15, 6),
}
RECIPES = {"colour": [("Colour cream 6.0", 60), ("Developer 6 %", 60)]}


def seed_stock(catalogues: dict, *, owners: dict, now) -> None:
    catalogue = catalogues.get(SALON)
    if catalogue is None:
        return
    owner = owners[SALON]
    business = catalogue.business
    with business_scope(business):
        products = {}
        for name, fr, ru, ar, kind, unit, barcode, category, price, cost in PRODUCTS:
            product = services.product_create(
                business=business,
                data=services.ProductIn(
                    name=name,
                    name_fr=fr,
                    name_ru=ru,
                    name_ar=ar,
                    kind=kind,
                    stock_unit=unit,
                    barcode=barcode,
                    category=category,
                    price_amount=price,
                ),
                actor=owner,
            )
            products[name] = (product, Decimal(cost))
        till = Product.objects.filter(business=business, name=TILL_PRODUCT).first()
        if till is not None:
            Product.objects.filter(pk=till.pk).update(
                barcode="3760123450058",
                category="Retail",
                name_fr="Shampoing Lumière 250 ml",
                name_ru="Шампунь Lumière 250 мл",
                name_ar="شامبو لوميير 250 مل",
            )
            products[TILL_PRODUCT] = (till, Decimal(1100))
        received = now - timedelta(days=30)
        for (name, place), (quantity, minimum) in STOCK.items():
            if name not in products or place not in catalogue.locations:
                continue
            product, cost = products[name]
            location = catalogue.locations[place]
            services.movement_record(
                business=business,
                location=location,
                product=product,
                kind="receipt",
                quantity=quantity,
                unit_cost=cost,
                reason="Opening stock",
                actor=owner,
                counter_account="equity",
                occurred_at=received,
            )
            services.minimum_set(
                business=business,
                location=location,
                product=product,
                minimum=minimum,
                actor=owner,
            )
        for key, lines in RECIPES.items():
            service = catalogue.services.get(key)
            if service is not None:
                services.recipe_set(
                    business=business,
                    service_id=service.pk,
                    lines=[(products[name][0], quantity, None) for name, quantity in lines],
                    actor=owner,
                )
