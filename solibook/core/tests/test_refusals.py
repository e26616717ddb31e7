import pytest
from django import forms
from django.http import Http404

from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.refusals import refusals


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_lands_on_its_field_and_the_rest_on_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()
    with refusals(form) as refused:
        raise ValidationFailed("No.", fields={"name": ["Too short."]})
    assert refused and refused.status == 400
    assert form.errors == {"name": ["Too short."]}
    with refusals(form) as refused:
        raise Conflict("Taken.")
    assert refused.status == 409
    assert form.non_field_errors() == ["Taken."]


def test_nothing_refused_and_other_errors_pass_through():
    with refusals() as refused:
        pass
    assert not refused and refused.status == 200
    with pytest.raises(KeyError), refusals():
        raise KeyError("x")


def test_a_missing_object_can_be_a_404():
    with pytest.raises(Http404), refusals(as_404=True):
        raise ValidationFailed("No.")
    with pytest.raises(Http404), refusals(not_found_404=True):
        raise NotFound("Gone.")
    with refusals(not_found_404=True) as refused:
        raise Conflict("Taken.")
    assert refused.status == 409
