from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solibook.accounts.models import User
from solibook.clientarea.models import BookingDraft
from solibook.core.forms import StyledFormMixin
from solibook.core.validators import validate_name
from solibook.reviews.models import stars_label


class GuestForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_name])
    channel = forms.ChoiceField(
        label=_("Send me a code by"),
        choices=BookingDraft.Channel.choices,
        widget=forms.RadioSelect,
        initial="email",
    )
    # An address or a number reads left to right, the plus sign first, on an Arabic page too.
    destination = forms.CharField(
        label=_("E-mail address or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("The six-digit code we sent"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class QuickSignUpForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, validators=[validate_name])
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ConfirmForm(StyledFormMixin, forms.Form):
    promo_code = forms.CharField(label=_("Promo code"), max_length=32, required=False)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language", "time_zone"]


def _stars() -> list[tuple[str, str]]:
    """5 down to 1, each named in the reader's language ("4 звезды"); called per request."""
    return [(str(i), stars_label(i)) for i in range(5, 0, -1)]


def _aspect_stars() -> list[tuple[str, str]]:
    return [("", "—"), *_stars()]


class ReviewForm(StyledFormMixin, forms.Form):
    rating = forms.ChoiceField(label=_("Overall"), choices=_stars, widget=forms.RadioSelect)
    quality = forms.ChoiceField(label=_("Quality"), choices=_aspect_stars, required=False)
    cleanliness = forms.ChoiceField(label=_("Cleanliness"), choices=_aspect_stars, required=False)
    welcome = forms.ChoiceField(label=_("Welcome"), choices=_aspect_stars, required=False)
    value = forms.ChoiceField(label=_("Value for money"), choices=_aspect_stars, required=False)
    punctuality = forms.ChoiceField(label=_("Punctuality"), choices=_aspect_stars, required=False)
    text = forms.CharField(
        label=_("Your review"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )


class WaitlistForm(StyledFormMixin, forms.Form):
    """Wait for a time on a day; the choices are the salon's online menu."""

    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    master = forms.ChoiceField(label=_("With"), required=False)
    # A date input reads ISO dates only, whatever the page's language.
    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time_from = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_to = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, menu, masters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.id, s.name) for s in menu]
        self.fields["master"].choices = [
            ("", _("Any master (most availability)")),
            *[(str(m.pk), m.display_name) for m in masters],
        ]


class SeriesForm(StyledFormMixin, forms.Form):
    """Repeat the chosen visit: every N weeks, K times."""

    interval_weeks = forms.TypedChoiceField(label=_("Repeat"), coerce=int, initial=2)
    occurrences = forms.IntegerField(
        label=_("Number of visits in all"), min_value=2, max_value=52, initial=4
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interval_weeks"].choices = [
            (n, ngettext("every week", "every %(n)s weeks", n) % {"n": n}) for n in range(1, 13)
        ]
