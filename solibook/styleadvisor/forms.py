"""The questionnaire (shape only; the matching lives in selectors and matching)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.styleadvisor.catalogue import FACES, HAIR_TYPES, LENGTHS, OCCASIONS, TONES
from solibook.styleadvisor.selectors import MAX_WISHES


def _choices(options: dict) -> list:
    return [("", _("I don't know / any")), *options.items()]


class QuestionnaireForm(forms.Form):
    face = forms.ChoiceField(label=_("Face shape"), choices=_choices(FACES), required=False)
    hair_type = forms.ChoiceField(
        label=_("Hair type"), choices=_choices(HAIR_TYPES), required=False
    )
    length = forms.ChoiceField(
        label=_("Hair length now"), choices=_choices(LENGTHS), required=False
    )
    tone = forms.ChoiceField(label=_("Skin tone"), choices=_choices(TONES), required=False)
    occasion = forms.ChoiceField(label=_("Occasion"), choices=_choices(OCCASIONS), required=False)
    wishes = forms.CharField(
        label=_("Your wishes, in your own words"),
        help_text=_("In English, French, Russian or Arabic. You may leave it empty."),
        max_length=MAX_WISHES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css
