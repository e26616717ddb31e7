"""Suppliers' offers: a product in a pack, its size in stock units, price and
lead time; and the language a supplier's orders are written in."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from solibook.accounting.models import Supplier
from solibook.core.audit import audit_log
from solibook.finance.models import Product
from solibook.purchasing.models import SupplierProduct, SupplierProfile
from solibook.purchasing.services._common import (
    check_amount,
    check_pack_size,
    get,
    invalid,
)

MAX_LEAD_TIME_DAYS = 365
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def supplier_get(*, business, supplier_id) -> Supplier:
    return get(
        Supplier.objects.filter(business=business),
        supplier_id,
        _("No such supplier."),
        field="supplier_id",
    )


def supplier_language(supplier: Supplier) -> str:
    profile = SupplierProfile.objects.filter(supplier=supplier).first()
    return profile.language if profile else "en"


def supplier_language_set(*, actor, business, supplier_id, language: str) -> SupplierProfile:
    supplier = supplier_get(business=business, supplier_id=supplier_id)
    if language not in LANGUAGE_CODES:
        invalid("language", _("Choose one of the site's languages."))
    with transaction.atomic():
        profile, _created = SupplierProfile.objects.update_or_create(
            business=business, supplier=supplier, defaults={"language": language}
        )
        audit_log(
            action="purchasing.supplier_language",
            actor=actor,
            business=business,
            obj=supplier,
            data={"language": language},
        )
    return profile


def _check_offer(business, *, pack_name: str, pack_size, price_amount, lead_time_days) -> dict:
    pack_name = (pack_name or "").strip()
    if not pack_name:
        invalid("pack_name", _("Name the pack, e.g. a 1,000 ml bottle."))
    if len(pack_name) > 100:
        invalid("pack_name", _("Keep the pack's name under 100 characters."))
    if (
        not isinstance(lead_time_days, int)
        or isinstance(lead_time_days, bool)
        or not 0 <= lead_time_days <= MAX_LEAD_TIME_DAYS
    ):
        invalid("lead_time_days", _("The lead time is a number of days from 0 to 365."))
    return {
        "pack_name": pack_name,
        "pack_size": check_pack_size(pack_size),
        "price_amount": check_amount(price_amount, "price_amount"),
        "lead_time_days": lead_time_days,
    }


def _save(offer: SupplierProduct) -> SupplierProduct:
    try:
        with transaction.atomic():
            if offer.is_preferred:
                # One preferred offer per product: the one reorder suggestions use.
                SupplierProduct.objects.filter(
                    business_id=offer.business_id, product_id=offer.product_id, is_preferred=True
                ).exclude(pk=offer.pk).update(is_preferred=False)
            offer.save()
    except IntegrityError:
        invalid("pack_size", _("This supplier already offers this product in a pack of this size."))
    return offer


def offer_create(
    *,
    actor,
    business,
    supplier_id,
    product_id,
    pack_name: str,
    pack_size,
    price_amount: int,
    lead_time_days: int,
    supplier_sku: str = "",
    is_preferred: bool = False,
) -> SupplierProduct:
    supplier = supplier_get(business=business, supplier_id=supplier_id)
    product = get(
        Product.objects.filter(business=business),
        product_id,
        _("No such product."),
        field="product_id",
    )
    fields = _check_offer(
        business,
        pack_name=pack_name,
        pack_size=pack_size,
        price_amount=price_amount,
        lead_time_days=lead_time_days,
    )
    offer = SupplierProduct(
        business=business,
        supplier=supplier,
        product=product,
        supplier_sku=(supplier_sku or "").strip()[:64],
        currency=business.currency,
        is_preferred=bool(is_preferred),
        **fields,
    )
    _save(offer)
    audit_log(
        action="purchasing.offer_created",
        actor=actor,
        business=business,
        obj=offer,
        data={"supplier": supplier.pk, "product": product.pk, "price": offer.price_amount},
    )
    return offer


def offer_update(
    *,
    actor,
    business,
    offer_id,
    pack_name: str,
    pack_size,
    price_amount: int,
    lead_time_days: int,
    supplier_sku: str = "",
    is_preferred: bool = False,
    is_active: bool = True,
) -> SupplierProduct:
    offer = get(SupplierProduct.objects.filter(business=business), offer_id, _("No such offer."))
    fields = _check_offer(
        business,
        pack_name=pack_name,
        pack_size=pack_size,
        price_amount=price_amount,
        lead_time_days=lead_time_days,
    )
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.supplier_sku = (supplier_sku or "").strip()[:64]
    offer.is_preferred = bool(is_preferred) and bool(is_active)
    offer.is_active = bool(is_active)
    _save(offer)
    audit_log(
        action="purchasing.offer_updated",
        actor=actor,
        business=business,
        obj=offer,
        data={"price": offer.price_amount, "active": offer.is_active},
    )
    return offer
