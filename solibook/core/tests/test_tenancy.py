import pytest
from django_scopes import ScopeError, scopes_disabled

from solibook.catalog.models import Location
from solibook.core.tenancy import business_scope


def test_a_tenant_query_without_a_scope_is_an_error(two_salons):
    with pytest.raises(ScopeError):
        list(Location.objects.all())
    with pytest.raises(ScopeError):
        Location.objects.filter(city="Paris").count()


def test_a_scope_limits_every_query_to_its_business(two_salons):
    a, b, location_a, location_b = two_salons
    with business_scope(a):
        assert list(Location.objects.all()) == [location_a]
        assert not Location.objects.filter(pk=location_b.pk).exists()
    with business_scope(b):
        assert list(Location.objects.all()) == [location_b]


def test_cross_tenant_reads_are_explicit(two_salons):
    with scopes_disabled():
        assert Location.objects.count() == 2
