"""Small factories for tests: each test builds only what it needs."""

import factory
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Role
from solibook.catalog.models import Business, Location
from solibook.catalog.services import business_settings_create
from solibook.catalog.versioning import catalog_changed

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    language = "en"
    time_zone = "Europe/Paris"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Salon {n}")
    slug = factory.Sequence(lambda n: f"salon-{n}")
    currency = "EUR"
    country = "FR"

    @factory.post_generation
    def _settings_rows(obj, create, extracted, **kwargs):
        """The rows `business_create` makes with a business (finance settings, programmes...)."""
        if create:
            business_settings_create(business=obj)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Location {n}")
    slug = factory.Sequence(lambda n: f"location-{n}")
    address = "1 rue de Rivoli"
    city = "Paris"
    country = "FR"
    time_zone = "Europe/Paris"


def member(business: Business, role: str = Role.OWNER, **user_fields) -> User:
    """A user with `role` in `business`."""
    user = UserFactory(**user_fields)
    with scopes_disabled():
        Membership.objects.create(business=business, user=user, role=role)
    return user


def category(slug: str = "womens-haircut"):
    """A taxonomy category (recreated when a transactional test flushed the
    rows the data migration had loaded)."""
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import CATEGORIES

    _slug, _parent, en, fr, ru, ar = next(row for row in CATEGORIES if row[0] == slug)
    return Category.objects.get_or_create(
        slug=slug, defaults={"name_en": en, "name_fr": fr, "name_ru": ru, "name_ar": ar}
    )[0]


def make_service(
    business: Business,
    *,
    name: str = "Cut",
    steps: list[tuple[int, bool]] = ((45, True),),
    price: int = 4500,
    category_slug: str = "womens-haircut",
    **fields,
):
    """A service with `steps` as (minutes, master_busy) pairs."""
    from solibook.catalog.models import Service, ServiceStep

    with scopes_disabled():
        service = Service.objects.create(
            business=business,
            category=category(category_slug),
            name=name,
            price_amount=price,
            currency=business.currency,
            **fields,
        )
        ServiceStep.objects.bulk_create(
            [
                ServiceStep(
                    business=business,
                    service=service,
                    position=i,
                    duration_minutes=m,
                    master_busy=busy,
                )
                for i, (m, busy) in enumerate(steps)
            ]
        )
    catalog_changed(business.pk)  # bulk_create sends no signal
    return service


def make_master(
    business: Business, *, locations: list[Location], services=(), name: str = "Léa", user=None
):
    from solibook.catalog.models import Master, MasterLocation, MasterService

    with scopes_disabled():
        master = Master.objects.create(business=business, display_name=name, user=user)
        MasterLocation.objects.bulk_create(
            [MasterLocation(business=business, master=master, location=loc) for loc in locations]
        )
        MasterService.objects.bulk_create(
            [MasterService(business=business, master=master, service=s) for s in services]
        )
    catalog_changed(business.pk)
    return master
