"""A member of business A gets 404 for every object of business B.

The URL configuration is enumerated, so a new back-office page or API
endpoint that takes an object id is covered without anyone adding it here:
a kwarg this test does not know fails the test until it is taught how to find
business B's object of that kind.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from solibook.accounting.tests.isolation import objects_of_b as accounting_objects_of_b
from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.assistant.tests.isolation import objects_of_b as assistant_objects_of_b
from solibook.billing.tests.isolation import billing_objects_of_b
from solibook.clientarea.tests.isolation import objects_of_b
from solibook.clients.tests.isolation import objects_of_b as client_objects_of_b
from solibook.commissions.tests.isolation import objects_of_b as commission_objects_of_b
from solibook.compliance.tests.isolation import objects_of_b as compliance_objects_of_b
from solibook.developers.tests.isolation import objects_of_b as developers_objects_of_b
from solibook.finance.tests.isolation import finance_objects_of_b
from solibook.inventory.tests.isolation import objects_of_b as inventory_objects_of_b
from solibook.marketing.tests.isolation import objects_of_b as marketing_objects_of_b
from solibook.partnerships.tests.isolation import objects_of_b as partnerships_objects_of_b
from solibook.purchasing.tests.isolation import objects_of_b as purchasing_objects_of_b
from solibook.social.tests.isolation import objects_of_b as social_objects_of_b
from solibook.support.tests.isolation import objects_of_b as support_objects_of_b
from solibook.testing.factories import member
from solibook.testing.referrals import isolation_objects_of_b as referral_objects_of_b

pytestmark = pytest.mark.django_db


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _tenant_routes():
    for route, pattern in _patterns():
        keys = set(pattern.pattern.converters)
        if keys & {"business_id", "business_slug"}:
            yield route, pattern


def _objects_of(b, location_b, membership_b) -> dict:
    """One object of business B for every kind of id a URL can take."""
    from datetime import UTC, datetime

    from solibook.booking.models import Appointment
    from solibook.catalog.models import (
        Category,
        LocationClosure,
        LocationPhoto,
        Master,
        MasterPhoto,
        Resource,
        ResourceType,
        Service,
        TimeOff,
    )

    with scopes_disabled():
        category = Category.objects.first()
        service = Service.objects.create(
            business=b, category=category, name="B's cut", price_amount=1000, currency=b.currency
        )
        master = Master.objects.create(business=b, display_name="B's master")
        resource_type = ResourceType.objects.create(business=b, name="B's room")
        resource = Resource.objects.create(
            business=b, location=location_b, resource_type=resource_type, name="Room 1"
        )
        closure = LocationClosure.objects.create(
            business=b, location=location_b, date=datetime(2030, 1, 1, tzinfo=UTC).date(), name="B"
        )
        time_off = TimeOff.objects.create(
            business=b,
            master=master,
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            ends_at=datetime(2030, 1, 2, tzinfo=UTC),
        )
        appointment = Appointment.objects.create(
            business=b,
            location=location_b,
            starts_at=datetime(2030, 1, 3, 10, tzinfo=UTC),
            ends_at=datetime(2030, 1, 3, 11, tzinfo=UTC),
            price_amount=1000,
            currency=b.currency,
        )
        # The files are never read: the pages and the API answer with their names.
        location_photo = LocationPhoto.objects.create(
            business=b, location=location_b, image="pictures/b-front.jpg", width=1, height=1
        )
        master_photo = MasterPhoto.objects.create(
            business=b, master=master, image="pictures/b-work.jpg", width=1, height=1
        )
    return {
        "business_id": b.pk,
        "business_slug": b.slug,
        "location_id": location_b.pk,
        "member_id": membership_b.pk,
        "service_id": service.pk,
        "master_id": master.pk,
        "resource_type_id": resource_type.pk,
        "resource_id": resource.pk,
        "closure_id": closure.pk,
        "time_off_id": time_off.pk,
        "appointment_id": appointment.pk,
        # A location's and a master's pictures share the kwarg: the route says whose.
        "photo_id": ByRoute({"location": location_photo.pk, "master": master_photo.pk}),
        **objects_of_b(b, location_b, appointment),  # reviews and offers (clientarea)
        **accounting_objects_of_b(
            b, location_b
        ),  # expenses, categories, suppliers, rules, pay statements
        **referral_objects_of_b(
            b, appointment
        ),  # loyalty tiers, referrals, codes, partners, statements
        **client_objects_of_b(b),  # client cards, segments, imports, custom fields
        **billing_objects_of_b(b),  # invoices
        **(finance := finance_objects_of_b(b, location_b, appointment)),  # checkouts, payments
        **compliance_objects_of_b(b, finance["checkout_id"]),  # 54-FZ receipts, packages
        **commission_objects_of_b(b, appointment),  # commission lines, boosts
        **inventory_objects_of_b(b, location_b),  # products, transfers, stock-takes
        **purchasing_objects_of_b(b, location_b),  # offers, purchase orders, supplier invoices
        **social_objects_of_b(b),  # social profiles, posts
        **partnerships_objects_of_b(b),  # landing pages
        **marketing_objects_of_b(b),  # campaigns, journeys
        **support_objects_of_b(b),  # the salon's support tickets
        **developers_objects_of_b(b),  # API keys, webhooks and their deliveries
        **assistant_objects_of_b(b),  # the assistant's conversations
        "fmt": "csv",  # the dashboards' export format: not an id, the salon in the path is B's
    }


class ByRoute(dict):
    """An id whose kind depends on the route: {a word of the route: id of that kind}."""

    def for_route(self, route: str, key: str):
        found = [value for word, value in self.items() if word in route]
        assert len(found) == 1, f"{route}: teach test_isolation which {key} this route takes"
        return found[0]


def _kwargs_for_b(keys, known, route: str):
    missing = keys - set(known)
    assert not missing, f"teach test_isolation how to find business B's {missing}"
    return {
        k: known[k].for_route(route, k) if isinstance(known[k], ByRoute) else known[k] for k in keys
    }


def test_every_tenant_url_answers_404_for_another_business(client, api_client, two_salons):
    a, b, _location_a, location_b = two_salons
    owner_a = member(a, Role.OWNER)
    member(b, Role.OWNER)
    with scopes_disabled():
        membership_b = Membership.objects.filter(business=b).first()
    client.force_login(owner_a)
    api_client.force_authenticate(owner_a)
    known = _objects_of(b, location_b, membership_b)

    checked = 0
    for route, pattern in _tenant_routes():
        kwargs = _kwargs_for_b(set(pattern.pattern.converters), known, route)
        path = route.replace("^", "").replace("$", "")
        for key, value in kwargs.items():
            for converter in ("id", "int", "slug", "str", "date"):
                path = path.replace(f"<{converter}:{key}>", str(value))
        path = "/" + path.lstrip("/")
        if not path.startswith("/api/"):
            path = "/en" + path if not path.startswith("/en/") else path
        http = api_client if path.startswith("/api/") else client
        for method in ("get", "post", "patch"):
            response = getattr(http, method)(path, {})
            assert response.status_code in (404, 405), (
                f"{method.upper()} {path} -> {response.status_code}"
            )
        checked += 1
    assert checked >= 8


def test_objects_of_another_business_are_404_even_in_ones_own_business_url(
    client, api_client, two_salons
):
    a, _b, _location_a, location_b = two_salons
    owner_a = member(a, Role.OWNER)
    api_client.force_authenticate(owner_a)
    client.force_login(owner_a)
    assert (
        api_client.get(f"/api/v1/businesses/{a.pk}/locations/{location_b.pk}/").status_code == 404
    )
    assert (
        api_client.patch(
            f"/api/v1/businesses/{a.pk}/locations/{location_b.pk}/", {"name": "Hijack"}
        ).status_code
        == 404
    )
    assert client.get(f"/en/office/{a.slug}/locations/{location_b.pk}/").status_code == 404
    assert (
        client.post(
            f"/en/office/{a.slug}/locations/{location_b.pk}/", {"name": "Hijack"}
        ).status_code
        == 404
    )
    with scopes_disabled():
        location_b.refresh_from_db()
    assert location_b.name != "Hijack"


def test_lists_show_only_ones_own_business(api_client, two_salons):
    a, _b, location_a, _location_b = two_salons
    api_client.force_authenticate(member(a, Role.OWNER))
    listed = api_client.get(f"/api/v1/businesses/{a.pk}/locations/").json()
    assert [row["id"] for row in listed["results"]] == [location_a.pk]
    assert [row["id"] for row in api_client.get("/api/v1/businesses/").json()] == [a.pk]


def test_an_absurd_id_is_404_not_500(api_client, two_salons):
    a, *_ = two_salons
    api_client.force_authenticate(member(a, Role.OWNER))
    assert api_client.get(f"/api/v1/businesses/{2**70}/").status_code == 404
    assert api_client.get(f"/api/v1/businesses/{a.pk}/locations/{2**70}/").status_code == 404
