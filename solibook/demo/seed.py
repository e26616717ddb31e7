"""Build the demo world through the real services, and large deterministic
data sets with bulk inserts for benchmarks."""

import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.accounts.services import membership_add
from solibook.catalog.models import Business, Location
from solibook.catalog.services import business_create, location_create
from solibook.demo.data import (
    DEMO_BUSINESSES,
    DEMO_PASSWORD,
    DEMO_USERS,
    SCALE_CITIES,
    SCALE_NAME_PARTS,
)


def seed_demo() -> dict[str, User]:
    users: dict[str, User] = {}
    with transaction.atomic(), scopes_disabled():
        for email, name, language, zone, staff in DEMO_USERS:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, language=language, time_zone=zone,
                is_staff=staff, is_superuser=staff, email_verified_at=timezone.now(),
            )
            users[email] = user
        for spec in DEMO_BUSINESSES:
            owner = users[spec["owner"]]
            business = business_create(
                owner=owner, name=spec["name"], currency=spec["currency"], country=spec["country"], description=spec["description"]
            )
            for location in spec["locations"]:
                location_create(
                    actor=owner, business=business, country=spec["country"],
                    **{**location, "latitude": Decimal(location["latitude"]), "longitude": Decimal(location["longitude"])},
                )
            for email, role in spec["members"]:
                membership_add(actor=owner, business=business, user=users[email], role=role)
    return users


def seed_scale(*, salons: int, seed: int, batch: int = 2000) -> int:
    """`salons` extra businesses, each with one location and an owner, in bulk.

    The same `seed` gives the same data; slugs carry the seed so two scales
    can coexist in one database."""
    rng = random.Random(seed)
    password = make_password(None)  # unusable: generated owners never log in
    created = 0
    with scopes_disabled():
        for start in range(0, salons, batch):
            n = min(batch, salons - start)
            specs = []
            for i in range(start, start + n):
                city, country, currency, zone, lat, lon = SCALE_CITIES[i % len(SCALE_CITIES)]
                first, second = SCALE_NAME_PARTS[country]
                name = f"{rng.choice(first)} {rng.choice(second)} {i + 1}"
                specs.append((i, name, city, country, currency, zone, lat + rng.uniform(-0.08, 0.08), lon + rng.uniform(-0.08, 0.08)))
            with transaction.atomic():
                owners = User.objects.bulk_create(
                    [User(email=f"owner{i}.s{seed}@scale.solibook.test", full_name=name, password=password) for i, name, *_ in specs]
                )
                businesses = Business.objects.bulk_create(
                    [Business(name=name, slug=f"scale-{seed}-{i}", currency=currency, country=country) for i, name, _c, country, currency, *_ in specs]
                )
                Membership.objects.bulk_create([Membership(business=b, user=u, role="owner") for b, u in zip(businesses, owners, strict=True)])
                Location.objects.bulk_create(
                    [
                        Location(
                            business=b, name=spec[1], slug="main", address=f"{spec[0] % 200 + 1}", city=spec[2], country=spec[3],
                            time_zone=spec[5], latitude=Decimal(f"{spec[6]:.6f}"), longitude=Decimal(f"{spec[7]:.6f}"),
                        )
                        for b, spec in zip(businesses, specs, strict=True)
                    ]
                )
            created += n
    return created
