"""Object ids outside a business's URLs: client A gets 404 for client B's
objects, and non-staff get nothing from platform URLs.

The tenant matrix (platform/tests/test_isolation.py) covers every URL taking a
business. This one enumerates the rest of the URL configuration: every route
that takes an object id is either listed below as public (with the reason),
is a platform-staff route, or is checked as owned by a user, with client B's
object of that kind. A new route nobody listed fails the test until it is
classified, so an endpoint cannot ship without its isolation being checked.
Routes whose only ids are unguessable secrets (`token`, `uidb64`,
`intent_id`) are capability URLs and are not checked here.
"""

from datetime import date, time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from solibook.support.tests.isolation import user_objects_of_b as support_objects_of_b
from solibook.testing.factories import UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db

TENANT_KWARGS = {"business_id", "business_slug"}
# `intent_id`: the test-mode provider's card page (finance:testmode_pay), our
# stand-in for Stripe Checkout's hosted page; like a Checkout Session URL the
# id ("pi_test_" and 96 random bits) is its bearer secret, and a guest paying
# through a manage link has no account the page could check.
SECRET_KWARGS = {"token", "uidb64", "intent_id"}
# Public by design: anyone may read these (marketplace listings, public
# availability, published ratings, referral landing pages) or act on any
# published object (reporting a review).
PUBLIC_ROUTES = {
    "booking_api:availability",
    "marketplace_api:salon",
    "clientarea_api:priced_slots",
    "reviews_api:master_rating",
    "reviews_api:salon_reviews",
    "reviews_api:salon_rating",
    "offers_api:salon_offers",
    "reviews_api:review_report",
    "reviews:report",
    "referrals_api:code_preview",
    "referrals:landing",
    "referrals:card",
    "referrals:book",
    "referrals:partner_join",
    "marketplace:salon",
    "marketplace:master",
    "marketplace:city",
    "marketplace:city_category",
    "clientarea:book",
    "clientarea:book_time",
    # "Often booked together" at a listed location: what the wizard shows anyone.
    "recommendations_api:booked_together",
    # The style advisor of a listed salon (its slug): public, like the salon's page.
    "styleadvisor_api:advisor",
    "styleadvisor:advisor",
    "recommendations:together",
    # A social post's tracked link and its Open Graph card; an event's landing page.
    "social:click",
    "social:card",
    "partnerships:public",
    # The wizard's other ways in at a published salon (its slug): its upcoming
    # group classes and a seat in one, joining its waitlist, repeating visits;
    # each acts for the signed-in client only, as the wizard does.
    "clientarea:classes",
    "clientarea:class_book",
    "clientarea:waitlist_join",
    "clientarea:series_book",
    # Messengers' webhooks into the assistant: no account at all; each update is
    # checked against the salon's secret (Telegram's header, WhatsApp's signature).
    "assistant_api:telegram_hook",
    "assistant_api:whatsapp_hook",
}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, entry, namespace + (entry.name or "")


def _routes():
    for route, pattern, name in _patterns():
        keys = set(pattern.pattern.converters)
        if (
            not keys
            or keys & TENANT_KWARGS
            or keys <= SECRET_KWARGS
            or route.startswith(("admin/", "^"))
        ):
            continue
        yield route, pattern, name, keys


def _is_staff_route(route: str) -> bool:
    return "platform/" in route


def _objects_of(user_b, salon) -> dict:
    """One object of client B for every kind of id a user-owned URL takes."""
    from solibook.booking.models import Appointment, RecurringSeries, WaitlistEntry
    from solibook.clientarea.models import Favourite
    from solibook.corporate.models import Company, CompanyAdmin, Employee
    from solibook.referrals.models import Partner

    b = salon.business
    with scopes_disabled():
        series = RecurringSeries.objects.create(business=b, interval_weeks=1, occurrences=2)
        appointment = Appointment.objects.create(
            business=b,
            location=salon.location,
            account=user_b,
            client_name="B",
            series=series,
            starts_at=paris(9),
            ends_at=paris(10),
            price_amount=1000,
            currency=b.currency,
        )
        entry = WaitlistEntry.objects.create(
            business=b,
            account=user_b,
            location=salon.location,
            service=salon.cut,
            date=date(2030, 6, 3),
            time_from=time(9),
            time_to=time(12),
        )
        favourite = Favourite.objects.create(user=user_b, business=b)
        partner = Partner.objects.create(business=b, user=user_b, name="B's blog")
    # B's company (B is its HR admin and one of its employees).
    company = Company.objects.create(
        name="B & Co", slug="b-and-co", city="Paris", domains=["b.example"], created_at=paris(8)
    )
    CompanyAdmin.objects.create(company=company, user=user_b, created_at=paris(8))
    employee = Employee.objects.create(
        company=company,
        email="b@b.example",
        user=user_b,
        status=Employee.Status.ACTIVE,
        invited_at=paris(8),
    )
    return {
        "appointment_id": appointment.pk,
        "waitlist_entry_id": entry.pk,
        "entry_id": entry.pk,  # the account's Waitlist tab: leave, the offer page
        "series_id": series.pk,  # the report of a repeating visit's dates
        "favourite_id": favourite.pk,
        "partner_id": partner.pk,
        "review_id": 1,
        "invite_id": 1,
        "company_id": company.pk,
        "slug": company.slug,  # an HR admin's company pages
        "employee_id": employee.pk,
        "invoice_id": 1,
        **support_objects_of_b(user_b),  # their support ticket and its attachment
    }


def _path(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        for converter in ("id", "int", "slug", "str", "path"):
            path = path.replace(f"<{converter}:{key}>", str(value))
        path = path.replace(f"<{key}>", str(value))
    path = "/" + path.lstrip("/")
    return path if path.startswith("/api/") else path.replace("/<lang>/", "/en/")


def test_every_route_with_an_id_is_classified():
    unknown = [
        f"{name or '(unnamed)'}: {route}"
        for route, _p, name, _k in _routes()
        if name not in PUBLIC_ROUTES and not _is_staff_route(route) and not name
    ]
    assert not unknown, "give these routes a name so isolation can be checked:\n" + "\n".join(
        unknown
    )


def test_client_a_gets_404_for_client_bs_objects(client, api_client, salon):
    user_a, user_b = UserFactory(), UserFactory()
    known = _objects_of(user_b, salon)
    client.force_login(user_a)
    api_client.force_authenticate(user_a)
    checked, leaks = 0, []
    for route, _pattern, name, keys in _routes():
        if name in PUBLIC_ROUTES or _is_staff_route(route):
            continue
        missing = keys - set(known)
        assert not missing, (
            f"{name} ({route}): teach test_user_isolation how to find client B's {missing}, or list it as public"
        )
        path = _path(route, {k: known[k] for k in keys})
        http = api_client if path.startswith("/api/") else client
        nowhere = _path(route, dict.fromkeys(keys, 2**31 - 1))
        for method in ("get", "post", "patch", "delete"):
            status = getattr(http, method)(path, {}).status_code
            if status in (404, 405):
                continue
            # A 4xx that a missing id gets too (input checked before the
            # lookup) reveals nothing; a success or a different answer does.
            if not (
                400 <= status < 500 and getattr(http, method)(nowhere, {}).status_code == status
            ):
                leaks.append(f"{method.upper()} {path} -> {status}")
        checked += 1
    assert not leaks, "client A reached client B's objects:\n" + "\n".join(leaks)
    assert checked >= 6


def test_platform_routes_refuse_non_staff(client, api_client, salon):
    user = UserFactory()
    known = _objects_of(UserFactory(), salon)
    client.force_login(user)
    api_client.force_authenticate(user)
    refused = []
    for route, _pattern, _name, keys in _routes():
        if not _is_staff_route(route):
            continue
        path = _path(route, {k: known.get(k, 1) for k in keys})
        http = api_client if path.startswith("/api/") else client
        for method in ("get", "post"):
            status = getattr(http, method)(path, {}).status_code
            if 200 <= status < 300 or (
                status == 302 and "login" not in getattr(http, method)(path, {}).get("Location", "")
            ):
                refused.append(f"{method.upper()} {path} -> {status}")
    assert not refused, "non-staff reached platform routes:\n" + "\n".join(refused)


def test_the_test_mode_card_pages_id_is_an_unguessable_secret():
    """`intent_id` is listed with the secrets above: it must stay one."""
    import re

    from solibook.finance.payments.testmode import _new_id

    ids = {_new_id("pi") for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"pi_test_[0-9a-f]{24}", i) for i in ids)  # 96 random bits
