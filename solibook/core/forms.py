from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from django import forms

from solibook.core.errors import DomainError

# A row a service's field key can point to: a form (the key's last part names
# its field) or a (form, field) pair.
RowTarget = forms.BaseForm | tuple[forms.BaseForm, str]


def form_error_from_domain(
    form: forms.BaseForm,
    exc: DomainError,
    *,
    rows: Mapping[str, Sequence[RowTarget]] | None = None,
    fields: Mapping[str, str] | Callable[[str], str] | None = None,
) -> None:
    """Show a service's refusal on the form: per field where it names one.

    `fields` renames the service's keys to the form's field names first (a
    mapping, or a function of the key). `rows` maps a key prefix to the
    targets in the order they were sent to the service, for formsets and
    per-row forms: "steps.2.duration_minutes" lands on the third sent step's
    minutes; a key naming nothing known is left to `form`. When no key names
    one of `form`'s own fields, the message is a non-field error on `form`.
    """
    keyed = exc.fields
    if fields is not None:
        rename = fields if callable(fields) else (lambda key: fields.get(key, key))
        keyed = {}
        for key, messages in exc.fields.items():
            keyed.setdefault(rename(key), []).extend(messages)
    for key, messages in keyed.items():
        head, _dot, rest = key.partition(".")
        index, _dot, tail = rest.partition(".")
        targets = (rows or {}).get(head) or []
        if not index.isdigit() or int(index) >= len(targets):
            continue
        target = targets[int(index)]
        target_form, field = (
            target if isinstance(target, tuple) else (target, tail.rsplit(".", 1)[-1])
        )
        for message in messages:
            target_form.add_error(field if field in target_form.fields else None, message)
    placed = False
    for field, messages in keyed.items():
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


# The base of a form mixin: the form it is combined with for mypy, nothing at run time.
if TYPE_CHECKING:
    FormMixinBase = forms.BaseForm
else:
    FormMixinBase = object

_Field = TypeVar("_Field", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """`form.fields[name]` as the kind of field it is, to set its choices,
    queryset or other attributes of that kind."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def all_valid(parts: Iterable[forms.BaseForm | forms.BaseFormSet]) -> bool:
    """Validate every form and formset of a page, without stopping at the first
    invalid one (each shows its errors). Django's `all_valid` does the same but
    is typed for formsets only."""
    results = [part.is_valid() for part in parts]
    return all(results)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """`form.fields[name]` as the choice field it is, to set its choices."""
    return form_field(form, name, forms.ChoiceField)


class StyledFormMixin(FormMixinBase):
    """Bootstrap classes on every widget, so templates render `{{ field }}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # Radio buttons and checkbox lists are ticks, not text boxes: as
            # `form-control` they showed as empty pills.
            if isinstance(
                widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
