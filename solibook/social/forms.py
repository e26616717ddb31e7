"""Back-office forms of social publishing: shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.social.models import Network, Post


class ProfileForm(StyledFormMixin, forms.Form):
    network = forms.ChoiceField(label=_("Network"), choices=Network.choices)
    name = forms.CharField(label=_("Name shown"), max_length=120, required=False)
    external_id = forms.CharField(
        label=_("Profile id"),
        max_length=64,
        help_text=_(
            "Telegram: the channel's @name (the bot must be an administrator of it); "
            "Facebook and Instagram: the page's or account's numeric id; VK: the community's id."
        ),
    )
    token = forms.CharField(
        label=_("Access token"),
        max_length=512,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Kept secret: only its last four characters are shown afterwards."),
    )


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("New access token"),
        max_length=512,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class PostForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What to publish"), choices=Post.Kind.choices)
    profile_ids = forms.TypedMultipleChoiceField(
        label=_("Where"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    promo_id = forms.TypedChoiceField(
        label=_("Promo code"), coerce=int, required=False, empty_value=None
    )
    location_id = forms.TypedChoiceField(
        label=_("Location"), coerce=int, required=False, empty_value=None
    )
    service_id = forms.TypedChoiceField(
        label=_("Service"), coerce=int, required=False, empty_value=None
    )
    slot_start = forms.ChoiceField(label=_("Free time"), required=False, widget=forms.RadioSelect)
    picture = forms.ChoiceField(label=_("Picture"), required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Empty: written for you from the offer, the slot or the picture."),
    )
    text = forms.CharField(
        label=_("Text"), max_length=900, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
