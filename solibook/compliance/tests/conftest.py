import pytest
from django_scopes import scopes_disabled

from solibook.core.tenancy import business_scope
from solibook.finance import services as finance
from solibook.finance.models import FinanceSettings
from solibook.finance.services import LineIn, TenderIn, TipIn
from solibook.testing.factories import (
    BusinessFactory,
    LocationFactory,
    UserFactory,
    make_master,
    make_service,
)
from solibook.testing.salon import NOW

SAUDI_VAT = "310122393500003"


class Shop:
    def __init__(self, business, location, service, master, owner):
        self.business, self.location, self.service, self.master = (
            business,
            location,
            service,
            master,
        )
        self.owner = owner
        self.capture = None  # django_capture_on_commit_callbacks: runs what follows the commit

    def sell(self, *, price_lines=1, tender="cash", tip=0, now=NOW, **kw):
        with self.capture(execute=True), business_scope(self.business):
            lines = [
                LineIn(kind="service", service_id=self.service.pk, master_id=self.master.pk)
                for _ in range(price_lines)
            ]
            tips = [TipIn(master_id=self.master.pk, amount=tip)] if tip else []
            quote = finance.checkout_quote(
                business=self.business,
                location_id=self.location.pk,
                lines=lines,
                tips=tips,
                now=now,
            )
            return finance.checkout_complete(
                business=self.business,
                location_id=self.location.pk,
                shown_total=quote.total,
                currency=self.business.currency,
                tenders=[TenderIn(tender, quote.to_pay)],
                lines=lines,
                tips=tips,
                now=now,
                **kw,
            )


def _shop(*, country, currency, zone, city, price, vat_number="", name="Salon", legal=""):
    business = BusinessFactory(
        country=country, currency=currency, vat_number=vat_number, name=name, legal_name=legal
    )
    location = LocationFactory(
        business=business, time_zone=zone, city=city, country=country, address="King Fahd Rd 1"
    )
    service = make_service(business, name="Haircut", steps=[(60, True)], price=price)
    master = make_master(business, locations=[location], services=[service], name="Noura")
    owner = UserFactory()
    from solibook.accounts.models import Membership

    with scopes_disabled():
        Membership.objects.create(user=owner, business=business, role="owner")
        FinanceSettings.objects.filter(business=business).update(prices_include_tax=True)
    return Shop(business, location, service, master, owner)


def _captured(capture, **kw):
    shop = _shop(**kw)
    shop.capture = capture
    return shop


@pytest.fixture
def saudi(db, django_capture_on_commit_callbacks):
    return _captured(
        django_capture_on_commit_callbacks,
        country="SA",
        currency="SAR",
        zone="Asia/Riyadh",
        city="Riyadh",
        price=11500,
        vat_number=SAUDI_VAT,
        name="صالون لمسة ورد",
    )


@pytest.fixture
def saudi_no_vat(db, django_capture_on_commit_callbacks):
    return _captured(
        django_capture_on_commit_callbacks,
        country="SA",
        currency="SAR",
        zone="Asia/Riyadh",
        city="Riyadh",
        price=11500,
    )


@pytest.fixture
def russian(db, django_capture_on_commit_callbacks):
    return _captured(
        django_capture_on_commit_callbacks,
        country="RU",
        currency="RUB",
        zone="Europe/Moscow",
        city="Москва",
        price=360000,
        name="Жемчуг",
    )
