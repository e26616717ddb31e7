"""The support pages' forms: shape only; `support.services` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solibook.core.forms import StyledFormMixin
from solibook.support.models import Priority, Status
from solibook.support.uploads import MAX_FILES

ACCEPT = ".jpg,.jpeg,.png,.webp,.gif,.pdf,.txt,.log"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files; their size and type are the service's to judge."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    @property
    def help_text(self):  # read when the page renders: in that page's language
        return ngettext(
            "Up to %(count)d file: a picture, PDF or plain text, 5 MB at most.",
            "Up to %(count)d files: pictures, PDF or plain text, 5 MB each.",
            MAX_FILES,
        ) % {"count": MAX_FILES}

    @help_text.setter
    def help_text(self, value):
        pass

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(AttachmentsField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class TicketForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("How can we help?"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = AttachmentsField(label=_("Attachments"))

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:  # the account's own name and e-mail are used
            del self.fields["name"]
            del self.fields["email"]


class ChatForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    body = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["name"]
            del self.fields["email"]


class ReplyForm(StyledFormMixin, forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Attachments"))


class StaffReplyForm(StyledFormMixin, forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 6}))
    status = forms.ChoiceField(
        label=_("Then set the status to"),
        choices=[
            (Status.WAITING, Status.WAITING.label),
            (Status.OPEN, Status.OPEN.label),
            (Status.RESOLVED, Status.RESOLVED.label),
        ],
        initial=Status.WAITING,
    )
    attachments = AttachmentsField(label=_("Attachments"))


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Status if s != Status.NEW],
    )


class PriorityForm(StyledFormMixin, forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class RatingForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CannedForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body_en = forms.CharField(label=_("English"), widget=forms.Textarea(attrs={"rows": 3}))
    body_fr = forms.CharField(label=_("French"), widget=forms.Textarea(attrs={"rows": 3}))
    body_ru = forms.CharField(label=_("Russian"), widget=forms.Textarea(attrs={"rows": 3}))
    body_ar = forms.CharField(
        label=_("Arabic"), widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl"})
    )
