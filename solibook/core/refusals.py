"""What a page does with a service's refusal, in one place.

Services raise `core.errors.DomainError` (`ValidationFailed` 400, `NotFound`
404, `Conflict` 409) with a translated message and per-field messages. A page
calls the service inside `with refusals(...) as refused:`:

    with refusals(form) as refused:
        promo_code_create(...)
    if refused:
        return render(request, "...", {"form": form}, status=refused.status)

- with a form: the field messages go on their fields, the rest is a
  non-field error (`core.forms.form_error_from_domain`); `fields=` renames
  the service's keys to the form's fields (a mapping or a function), `rows=`
  sends keys like "steps.2.price" to the rows of a formset or a row form
  (`refusals(form, rows={"steps": step_forms})`);
- with `request=` and no form: the message goes to `messages.error`;
- with `as_404=True`: the refusal is a 404 (the page does not tell a missing
  object from a refused one); with `not_found_404=True` only a `NotFound` is.

The block stops at the refusal; `refused` is then true, `refused.error` is
the exception, `refused.status` the status to answer (the error's own:
400, 404 or 409), `refused.message` and `refused.code` its message and code. Anything that is not a DomainError goes through.
"""

from collections.abc import Callable, Mapping, Sequence

from django import forms
from django.contrib import messages
from django.http import Http404

from solibook.core.errors import DomainError
from solibook.core.forms import RowTarget, form_error_from_domain


class refusals:  # noqa: N801 - used as a statement: `with refusals(form) as refused:`
    def __init__(
        self,
        form: forms.BaseForm | None = None,
        *,
        request=None,
        as_404: bool = False,
        not_found_404: bool = False,
        rows: Mapping[str, Sequence[RowTarget]] | None = None,
        fields: Mapping[str, str] | Callable[[str], str] | None = None,
    ):
        self.form = form
        self.rows = rows
        self.fields = fields
        self.request = request
        self.as_404 = as_404
        self.not_found_404 = not_found_404
        self.error: DomainError | None = None

    def __enter__(self) -> "refusals":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None or not isinstance(exc, DomainError):
            return False
        if self.as_404 or (self.not_found_404 and exc.status_code == 404):
            raise Http404 from exc
        self.error = exc
        if self.form is not None:
            form_error_from_domain(self.form, exc, rows=self.rows, fields=self.fields)
        elif self.request is not None:
            messages.error(self.request, exc.message)
        return True

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        """The refusal's status (400, 404, 409), or 200 when nothing was refused."""
        return self.error.status_code if self.error is not None else 200

    @property
    def message(self) -> str:
        return self.error.message if self.error is not None else ""

    @property
    def code(self) -> str:
        """The refusal's code ("price_changed", "not_found"...), or "" when nothing was refused."""
        return self.error.code if self.error is not None else ""
