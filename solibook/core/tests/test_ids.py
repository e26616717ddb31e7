import pytest
from django.urls import path, resolve
from django.urls.exceptions import Resolver404
from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.core.ids import MAX_DB_ID, as_db_id, is_db_id


def view(request, thing_id):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [path("things/<id:thing_id>/", view)]


@pytest.mark.parametrize("value", [1, "1", 42, "42", MAX_DB_ID, str(MAX_DB_ID)])
def test_a_row_id_is_accepted(value):
    assert is_db_id(value)
    assert as_db_id(value) == int(value)


@pytest.mark.parametrize(
    "value",
    [0, -1, "0", "01", "-1", "+1", " 1", "1.0", "²", "١", MAX_DB_ID + 1, str(MAX_DB_ID + 1)]
    + [True, None, 1.0, "", "x", ["1"]],
)
def test_anything_else_is_not_an_id(value):
    assert not is_db_id(value)
    assert as_db_id(value) is None


@pytest.mark.urls(__name__)
def test_the_route_converter_gives_an_int_and_refuses_the_rest():
    assert resolve(f"/things/{MAX_DB_ID}/").kwargs == {"thing_id": MAX_DB_ID}
    for bad in ("0", "007", str(MAX_DB_ID + 1), "9" * 30, "-3", "x"):
        with pytest.raises(Resolver404):
            resolve(f"/things/{bad}/")


def test_the_serializer_field_says_400_past_a_bigint():
    class In(serializers.Serializer):
        thing_id = IdField()

    assert In(data={"thing_id": MAX_DB_ID}).is_valid()
    for bad in (0, MAX_DB_ID + 1, "x"):
        assert not In(data={"thing_id": bad}).is_valid()
