"""Back-office pages of the notifications app: the salon's reminder and
channel choices with its delivery problems, and its message templates with
a live preview. Each calls the same services as the API."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.notifications import sandbox, selectors, services
from solibook.notifications.forms import SalonSettingsForm, TemplateForm
from solibook.notifications.models import Channel, Kind

LANGUAGE_CODES = dict(settings.LANGUAGES)


def _hours(minutes: list[int]) -> str:
    return ", ".join(f"{m / 60:g}" for m in minutes)


@backoffice_view(Capability.MANAGE_BUSINESS)
def notification_settings(request):
    minutes, channels = selectors.current_settings(request.business)
    form = SalonSettingsForm(
        request.POST or None, initial={"reminder_minutes": _hours(minutes), "channels": channels}
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.notification_settings_update(
                business=request.business,
                reminder_minutes=form.cleaned_data["reminder_minutes"],
                channels=form.cleaned_data["channels"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Notification settings saved."))
            return redirect("notifications:settings", business_slug=request.business.slug)
    context = {
        "form": form,
        "problems": selectors.delivery_problems(business=request.business),
        "template_problems": selectors.template_problems(business=request.business),
    }
    return render(request, "notifications/office/settings.html", context)


def _pick(request, name: str, choices: dict, default: str) -> str:
    value = request.GET.get(name) or request.POST.get(name) or default
    return value if value in choices else default


@backoffice_view(Capability.MANAGE_BUSINESS)
def template_list(request):
    channel = _pick(request, "channel", dict(Channel.choices), Channel.EMAIL)
    language = _pick(
        request,
        "language",
        LANGUAGE_CODES,
        request.LANGUAGE_CODE
        if request.LANGUAGE_CODE in LANGUAGE_CODES
        else settings.LANGUAGE_CODE,
    )
    context = {
        "rows": selectors.template_catalog(
            business=request.business, channel=channel, language=language
        ),
        "channel": channel,
        "language": language,
        "channel_choices": Channel.choices,
        "language_choices": settings.LANGUAGES,
    }
    return render(request, "notifications/office/template_list.html", context)


@backoffice_view(Capability.MANAGE_BUSINESS)
def template_edit(request):
    kind = request.GET.get("kind") or request.POST.get("kind")
    channel = request.GET.get("channel") or request.POST.get("channel")
    language = request.GET.get("language") or request.POST.get("language")
    if kind not in Kind.values or channel not in Channel.values or language not in LANGUAGE_CODES:
        raise Http404
    current = selectors.template_for_editing(
        business=request.business, kind=kind, channel=channel, language=language
    )
    form = TemplateForm(request.POST or None, initial=current)
    if not current["has_subject"]:
        del form.fields["subject"]
    back = f"?channel={channel}&language={language}"
    if request.method == "POST" and request.POST.get("action") == "reset":
        services.message_template_reset(
            business=request.business,
            kind=kind,
            channel=channel,
            language=language,
            actor=request.user,
        )
        messages.success(request, _("The default message is used again."))
        return redirect(f"{request.path}?kind={kind}&channel={channel}&language={language}")
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.message_template_save(
                business=request.business,
                kind=kind,
                channel=channel,
                language=language,
                subject=form.cleaned_data.get("subject", ""),
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Template saved."))
            return redirect(f"{request.path.rsplit('edit/', 1)[0]}{back}")
    data = form.data if form.is_bound else current
    preview = selectors.message_preview(
        business=request.business,
        kind=kind,
        channel=channel,
        language=language,
        subject=data.get("subject", ""),
        body=data.get("body", ""),
    )
    context = {
        "form": form,
        "current": current,
        "preview": preview,
        "kind_label": Kind(kind).label,
        "channel_label": Channel(channel).label,
        "language_label": LANGUAGE_CODES[language],
        "variables": sandbox.VARIABLES,
        "back": back,
        "is_rtl": language == "ar",
        "language": language,
        "brand": preview.get("brand"),
    }
    return render(request, "notifications/office/template_edit.html", context)


@require_POST
@backoffice_view(Capability.MANAGE_BUSINESS)
def template_preview(request):
    """htmx: the preview of the text being typed (no write)."""
    kind, channel, language = (
        request.POST.get("kind"),
        request.POST.get("channel"),
        request.POST.get("language"),
    )
    if kind not in Kind.values or channel not in Channel.values or language not in LANGUAGE_CODES:
        raise Http404
    preview = selectors.message_preview(
        business=request.business,
        kind=kind,
        channel=channel,
        language=language,
        subject=request.POST.get("subject", "")[:300],
        body=request.POST.get("body", "")[: sandbox.MAX_LENGTH + 1],
    )
    return render(
        request,
        "notifications/office/_preview.html",
        {
            "preview": preview,
            "channel": channel,
            "language": language,
            "is_rtl": language == "ar",
            "brand": preview.get("brand"),
        },
    )
