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
        raise Conflict("Taken.", code="taken")
    assert refused.status == 409 and refused.code == "taken" and refused.message == "Taken."
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


class PriceForm(forms.Form):
    price = forms.IntegerField()


def test_keys_can_be_renamed_and_sent_to_rows():
    form = NameForm({"name": "x"})
    form.is_valid()
    with refusals(form, fields={"title": "name"}):
        raise ValidationFailed("No.", fields={"title": ["Too short."]})
    assert form.errors == {"name": ["Too short."]}

    form = NameForm({"name": "x"})
    form.is_valid()
    with refusals(form, fields=lambda key: key if key in form.fields else "name"):
        raise ValidationFailed("No.", fields={"file": ["Bad."], "other": ["Worse."]})
    assert form.errors == {"name": ["Bad.", "Worse."]}

    form = NameForm({"name": "x"})
    rows = [PriceForm({"price": "1"}), PriceForm({"price": "2"})]
    for part in (form, *rows):
        part.is_valid()
    with refusals(form, rows={"steps": rows}) as refused:
        raise ValidationFailed("No.", fields={"steps.1.price": ["Too high."], "steps.9.x": ["?"]})
    assert refused.status == 400
    assert rows[1].errors == {"price": ["Too high."]} and not rows[0].errors
    assert form.non_field_errors() == ["No."]  # no key names the form's own fields


def test_no_page_catches_a_domain_error_by_hand():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pages = [*root.glob("*/views/**/*.py"), *root.glob("*/views.py")]
    assert pages
    by_hand = [
        f"{path.relative_to(root)}:{number}"
        for path in pages
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.strip().startswith("except DomainError")
    ]
    assert by_hand == [], "use core.refusals.refusals"
