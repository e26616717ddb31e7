"""The demo's corporate wellness (issue #19, point 4): Verdier & Associés, a Paris
company with 20 employees on `verdier.demo`, 60 € a month each (up to 30 € carried
over). Its HR admin `hr@verdier.demo` and the employee `employee@verdier.demo` sign
in with the demo password. Last month eight employees spent part of their budget at
the Paris salons' tills (real checkouts paid with the `wellness_budget` tender), the
month is closed: one invoice issued to the company through billing and the salons
settled. One more invitation waits in the demo inbox."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from solibook.accounts.models import User
from solibook.booking.models import Appointment, AppointmentEvent, Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.catalog.models import Business, Location, Service
from solibook.core.errors import DomainError
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.corporate import services
from solibook.corporate.models import Company, Employee
from solibook.demo.data import DEMO_PASSWORD
from solibook.finance.services.checkout import TenderIn, checkout_complete, checkout_quote

DOMAIN = "verdier.demo"
HR = f"hr@{DOMAIN}"
EMPLOYEE = f"employee@{DOMAIN}"
NAMES = [
    ("employee", "Chloé Garnier"),
    ("louis.fabre", "Louis Fabre"),
    ("ines.morel", "Inès Morel"),
    ("hugo.blanc", "Hugo Blanc"),
    ("manon.roussel", "Manon Roussel"),
    ("nathan.guerin", "Nathan Guérin"),
    ("sarah.muller", "Sarah Muller"),
    ("theo.henry", "Théo Henry"),
    ("lea.perrin", "Léa Perrin"),
    ("adam.masson", "Adam Masson"),
    ("jade.marchand", "Jade Marchand"),
    ("lucas.dufour", "Lucas Dufour"),
    ("alice.lemoine", "Alice Lemoine"),
    ("noah.chevalier", "Noah Chevalier"),
    ("zoe.francois", "Zoé François"),
    ("gabriel.legrand", "Gabriel Legrand"),
    ("lina.gauthier", "Lina Gauthier"),
    ("arthur.robin", "Arthur Robin"),
    ("camille.andre", "Camille André"),
    ("yanis.mercier", "Yanis Mercier"),
]
# Last month's visits paid with the budget: (employee index, salon slug, days into the month).
PAST = [
    (0, 0, 3),
    (1, 1, 5),
    (2, 0, 8),
    (3, 1, 10),
    (4, 0, 12),
    (6, 0, 15),
    (9, 1, 18),
    (12, 0, 21),
]
PARIS_SALONS = ("atelier-lumiere", "ongles-sens")
PARIS = ZoneInfo("Europe/Paris")


def _salons() -> list[tuple[Business, Location, Service]]:
    out = []
    for slug in PARIS_SALONS:
        business = Business.objects.filter(slug=slug).first()
        if business is None:
            continue
        with business_scope(business):
            location = Location.objects.filter(business=business, city="Paris").order_by("pk")
            service = Service.objects.filter(business=business, price_amount__lte=6000)
            first, cheapest = location.first(), service.order_by("price_amount").first()
        if first is not None and cheapest is not None:
            out.append((business, first, cheapest))
    return out


def _book(business, location, service, user, day: datetime):
    """A visit for `user` on `day` (booked two days before, as a client would), at the
    first hour a master is free; None when the salon is full or closed that day."""
    for hour in (10, 11, 14, 15, 16, 17):
        start = day.replace(hour=hour, minute=0)
        try:
            with business_scope(business):
                return appointment_create(
                    business=business,
                    location_id=location.pk,
                    specs=[ItemSpec(service.pk)],
                    start=start,
                    source=Source.BACK_OFFICE,  # booked by phone: no deposit asked
                    account=user,
                    now=start - timedelta(days=2),
                )
        except DomainError:
            continue
    return None


def _backdate(visit) -> None:
    """The visit was booked two days before it (not at seeding time), like the demo's others."""
    booked_at = visit.starts_at - timedelta(days=2)
    Appointment.objects.filter(pk=visit.pk).update(created_at=booked_at, updated_at=booked_at)
    AppointmentEvent.objects.filter(appointment_id=visit.pk, kind="created").update(
        created_at=booked_at
    )


def _pay_at_till(business, location, service, user, day: datetime) -> bool:
    """Last month's visit, checked out at the till with the wellness budget."""
    visit = None
    for extra in range(5):  # the next open day when the salon is closed
        visit = _book(business, location, service, user, day + timedelta(days=extra))
        if visit is not None:
            break
    if visit is None:
        return False
    with business_scope(business):
        _backdate(visit)
        when = visit.ends_at
        quote = checkout_quote(
            business=business, location_id=location.pk, appointment_id=visit.pk, now=when
        )
        checkout_complete(
            business=business,
            location_id=location.pk,
            appointment_id=visit.pk,
            shown_total=quote.total,
            currency=quote.currency,
            tenders=[TenderIn("wellness_budget", quote.total)],
            now=when,
        )
        # Last month's visit is history, not news to send (as the demo's other visits).
        OutboxEvent.objects.filter(
            business_id=business.pk, topic__startswith="appointment.", processed_at__isnull=True
        ).update(processed_at=when)
    return True


def seed_corporate(*, staff: User, now: datetime) -> tuple[Company, int]:
    """The company, and how many visits its employees made (paid from their budgets)."""
    password = make_password(DEMO_PASSWORD)
    local = now.astimezone(PARIS)
    last_month = (local.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    joined = datetime(last_month.year, last_month.month, 1, 9, tzinfo=PARIS)
    with transaction.atomic():
        company = services.company_create(
            actor=staff,
            name="Verdier & Associés",
            legal_name="Verdier & Associés SAS",
            vat_number="FR40123456789",
            city="Paris",
            domains=[DOMAIN],
            monthly_budget=6000,
            rollover_cap=3000,
            language="fr",
            now=joined - timedelta(days=3),
        )
        User.objects.create(
            email=HR,
            password=password,
            full_name="Claire Verdier",
            language="fr",
            time_zone="Europe/Paris",
            email_verified_at=now,
        )
        services.company_admin_add(company=company, email=HR, actor=staff, now=joined)
        people = []
        for mailbox, name in NAMES:
            email = f"{mailbox}@{DOMAIN}"
            user = User.objects.create(
                email=email,
                password=password,
                full_name=name,
                language="fr",
                time_zone="Europe/Paris",
                email_verified_at=now,
            )
            # Joined at the start of last month (the invitations were accepted then).
            Employee.objects.create(
                company=company,
                email=email,
                user=user,
                status=Employee.Status.ACTIVE,
                invited_at=joined - timedelta(days=2),
                joined_at=joined,
            )
            people.append(user)
    salons = _salons()
    visits = 0
    for who, salon, day in PAST if salons else []:
        business, location, service = salons[salon % len(salons)]
        visits += _pay_at_till(
            business, location, service, people[who], joined + timedelta(days=day)
        )
    services.budgets_refresh(now=now)  # this month's budgets (last month's rest rolls over)
    if salons:
        services.month_close(company=company, month=last_month, actor=staff, now=now)
    # One invitation still open: in the demo inbox, /<lang>/demo/inbox/.
    services.employee_invite(company=company, email=f"new.recruit@{DOMAIN}", actor=staff, now=now)
    return company, visits
