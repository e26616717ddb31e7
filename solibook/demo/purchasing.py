"""Purchasing at Atelier Lumière (issue #18): two suppliers with their offers
(one writes in French, one in Russian), an order sent to the French one and
still in transit to the Marais, and an order to the Russian one for the
Batignolles received in part. The developer below its minimum at the
Batignolles (solibook.demo.stock) is left for the reorder suggestions."""

from dataclasses import dataclass
from decimal import Decimal

from django_scopes import scopes_disabled

from solibook.accounting.models import Supplier
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue_data import BATIGNOLLES, MARAIS
from solibook.finance.models import Product
from solibook.purchasing import services

SALON = "Atelier Lumière"


@dataclass(frozen=True)
class Offer:
    supplier: str
    product: str
    pack: str
    size: int
    price: int
    lead_days: int
    sku: str


# name, e-mail, language of its orders
SUPPLIERS = [
    ("Beauté Pro Distribution", "commandes@beautepro.example", "fr"),
    ("Косметика-Опт", "zakaz@kosmetika-opt.example", "ru"),
]
OFFERS = [
    Offer("Beauté Pro Distribution", "Colour cream 6.0", "Tube 100 ml", 100, 950, 3, "BP-C60"),
    Offer("Beauté Pro Distribution", "Developer 6 %", "Flacon 1 L", 1000, 900, 3, "BP-OX6"),
    Offer("Beauté Pro Distribution", "Repair mask", "Pot 500 ml", 500, 1600, 5, "BP-MR5"),
    Offer("Косметика-Опт", "Heat protection spray", "Коробка 6 шт.", 6, 5400, 4, "KO-TS6"),
    Offer("Косметика-Опт", "Shampoing Lumière 250 ml", "Коробка 12 шт.", 12, 13200, 4, "KO-SH12"),
]
# (supplier, location, [(product, packs)], packs received per product, or None)
ORDERS = [
    (
        "Beauté Pro Distribution",
        MARAIS,
        [("Colour cream 6.0", 5), ("Developer 6 %", 2)],
        None,
    ),  # sent, in transit
    (
        "Косметика-Опт",
        BATIGNOLLES,
        [("Heat protection spray", 2), ("Shampoing Lumière 250 ml", 1)],
        {"Heat protection spray": 1},
    ),  # partly received
]


def seed_purchasing(catalogues: dict, *, owners: dict) -> None:
    catalogue = catalogues.get(SALON)
    if catalogue is None:
        return
    business = catalogue.business
    owner = owners[SALON]
    with business_scope(business):
        suppliers = {}
        for name, email, language in SUPPLIERS:
            with scopes_disabled():
                supplier, _created = Supplier.objects.get_or_create(
                    business=business, name=name, defaults={"email": email}
                )
            services.supplier_language_set(
                actor=owner, business=business, supplier_id=supplier.pk, language=language
            )
            suppliers[name] = supplier
        products = {p.name: p for p in Product.objects.filter(business=business)}
        offers = {}
        for offer in OFFERS:
            if offer.product not in products:
                continue
            offers[offer.product] = services.offer_create(
                actor=owner,
                business=business,
                supplier_id=suppliers[offer.supplier].pk,
                product_id=products[offer.product].pk,
                pack_name=offer.pack,
                pack_size=Decimal(offer.size),
                price_amount=offer.price,
                lead_time_days=offer.lead_days,
                supplier_sku=offer.sku,
                is_preferred=True,
            )
        for supplier_name, place, lines, received in ORDERS:
            if place not in catalogue.locations:
                continue
            order = services.order_create(
                actor=owner,
                business=business,
                supplier_id=suppliers[supplier_name].pk,
                location_id=catalogue.locations[place].pk,
            )
            for product, packs in lines:
                if product in offers:
                    services.order_line_set(
                        actor=owner,
                        business=business,
                        order_id=order.pk,
                        offer_id=offers[product].pk,
                        packs=packs,
                    )
            services.order_send(actor=owner, business=business, order_id=order.pk)
            if received:
                by_product = {line.product.name: line.pk for line in order.lines.all()}
                services.order_receive(
                    actor=owner,
                    business=business,
                    order_id=order.pk,
                    packs={by_product[name]: n for name, n in received.items()},
                )
