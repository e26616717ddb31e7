"""Build the demo world through the real services, and large deterministic
data sets with bulk inserts for benchmarks (`scale`)."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.accounts.services import membership_add
from solibook.catalog.services import business_create, location_create
from solibook.demo.assistant import seed_assistant
from solibook.demo.billing import seed_billing
from solibook.demo.catalogue import build_catalogue
from solibook.demo.catalogue_data import CATALOGUES
from solibook.demo.classes import make_classes
from solibook.demo.compliance import seed_compliance
from solibook.demo.corporate import seed_corporate
from solibook.demo.data import DEMO_BUSINESSES, DEMO_PASSWORD, DEMO_USERS
from solibook.demo.developers import seed_developers
from solibook.demo.history import HistoryTruth, seed_history
from solibook.demo.marketing import seed_marketing
from solibook.demo.pictures import add_pictures
from solibook.demo.platform_staff import make_platform_staff
from solibook.demo.purchasing import seed_purchasing
from solibook.demo.review_history import seed_review_history
from solibook.demo.scale import ScaleReport, seed_scale
from solibook.demo.social import seed_social
from solibook.demo.stock import seed_stock
from solibook.demo.support import seed_support
from solibook.demo.visits import make_visits
from solibook.finance.services.settings import settings_update

__all__ = ["DEMO_SEED", "Demo", "ScaleReport", "seed_demo", "seed_scale"]

DEMO_SEED = 20240601  # the demo's random choices are the same on every run
# The salon with a year of history (solibook.demo.history) for the dashboards and
# models, and its clients: busy for its four masters. Its history stops before
# today and avoids the demo's own visits, so no journey's visit moves.
HISTORY_SALON = "zhemchug"
HISTORY_CLIENTS = 420


@dataclass
class Demo:
    users: dict[str, User]
    appointments: int
    missed: list[str]  # visits planned but not booked (the tests expect none)
    history: HistoryTruth | None = None


def seed_demo(*, now=None, history: bool = False) -> Demo:
    """The demo users, salons, catalogues and a few hundred appointments
    around `now` (default: the current time); with `history`, a year of
    visits before today at HISTORY_SALON (`make run` asks for it)."""
    now = now or timezone.now()
    users: dict[str, User] = {}
    catalogues = {}
    staff = {}
    password = make_password(DEMO_PASSWORD)  # hashed once: one shared password, ten logins
    with transaction.atomic(), scopes_disabled():
        for email, name, language, zone, is_staff in DEMO_USERS:
            users[email] = User.objects.create(
                email=email,
                password=password,
                full_name=name,
                language=language,
                time_zone=zone,
                is_staff=is_staff,
                is_superuser=is_staff,
                email_verified_at=now,
            )
        make_platform_staff(password_hash=password, now=now)  # finance, support, moderator
        for spec in DEMO_BUSINESSES:
            owner = users[spec["owner"]]
            business = business_create(
                owner=owner,
                name=spec["name"],
                currency=spec["currency"],
                country=spec["country"],
                description=spec["description"],
                slug=spec.get("slug", ""),
            )
            locations = {
                location["name"]: location_create(
                    actor=owner,
                    business=business,
                    country=spec["country"],
                    **{
                        **location,
                        "latitude": Decimal(location["latitude"]),
                        "longitude": Decimal(location["longitude"]),
                    },
                )
                for location in spec["locations"]
            }
            # Online payments in test mode (Stripe in production): deposits are paid
            # in the wizard with test cards, nothing is charged.
            settings_update(business=business, online_provider="test")
            for email, role in spec["members"]:
                membership_add(actor=owner, business=business, user=users[email], role=role)
            receptionists = [
                users[email] for email, role in spec["members"] if role == "receptionist"
            ]
            staff[spec["name"]] = receptionists[0] if receptionists else owner
            catalogues[spec["name"]] = build_catalogue(
                business=business,
                owner=owner,
                spec=CATALOGUES[spec["name"]],
                locations=locations,
                users=users,
                now=now,
            )
        # Drawn by the demo itself (solibook.demo.pictures): nothing is downloaded.
        add_pictures(catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES})
        visits = make_visits(catalogues, staff, users, now=now, seed=DEMO_SEED)
        make_classes(catalogues, staff, visits)
        # Products, stock, recipes and a low-stock alert (after the till's shampoo).
        seed_stock(
            catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES}, now=now
        )
        # Suppliers with offers, an order in transit, one partly received (after the stock).
        seed_purchasing(catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES})
        # Riyadh's till sales with their ZATCA QR; Moscow's ATOL test account (issue #22).
        seed_compliance(catalogues, now=now)
        # A Telegram channel with a post and its clicks, a gym's landing page (issue #19).
        seed_social(
            catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES}, now=now
        )
        # Conversations with the virtual consultant in four languages, one taken over (#21).
        seed_assistant(
            catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES}, now=now
        )
        visits.backdate()  # again, with the class seats
        seed_billing(now=now)  # plans; an invoice to pay; an overdue one (read-only)
        # A campaign running at Ongles & Sens with its report, the journeys on (after the visits).
        seed_marketing(
            catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES}, now=now
        )
        # A Paris company's wellness budgets: 20 employees, last month used and invoiced.
        _company, company_visits = seed_corporate(staff=users["admin@solibook.demo"], now=now)
        truth = None
        if history:
            catalogue = next(c for c in catalogues.values() if c.business.slug == HISTORY_SALON)
            location = min(catalogue.locations.values(), key=lambda loc: loc.pk)
            truth = seed_history(
                business=catalogue.business,
                location=location,
                now=now,
                clients=HISTORY_CLIENTS,
                seed=DEMO_SEED,
            )
        # Reviews in four languages, read by review analysis after the commit (issue #20).
        seed_review_history(catalogues, now=now, seed=DEMO_SEED, history_slug=HISTORY_SALON)
        # An API key and a partner's webhook with its log (issue #22); last, so that
        # the seed's own events are not sent to it.
        seed_developers(
            catalogues, owners={s["name"]: users[s["owner"]] for s in DEMO_BUSINESSES}, now=now
        )
        # Support tickets in four languages and canned replies (issue #22, point 5).
        seed_support(users=users, now=now)
    return Demo(
        users=users,
        appointments=len(visits.booked) + company_visits,
        missed=visits.missed,
        history=truth,
    )
