"""Small factories for tests: each test builds only what it needs."""

import factory
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Role
from solibook.catalog.models import Business, Location

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

    name = factory.Sequence(lambda n: f"Salon {n}")
    slug = factory.Sequence(lambda n: f"salon-{n}")
    currency = "EUR"
    country = "FR"


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
