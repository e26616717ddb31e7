"""Per-salon customisation: branding, custom fields on client cards,
consultation forms. (Booking rules and policies: `catalog_views.business_settings`.)"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.clients import services as client_services
from solibook.clients.models import ConsultationForm, CustomFieldDefinition
from solibook.core.errors import DomainError
from solibook.core.forms import form_error_from_domain
from solibook.crm.client_forms import BrandingForm, ConsultationFormForm, CustomFieldForm
from solibook.crm.selectors import brand_colour
from solibook.crm.services import branding_update


@backoffice_view(Capability.MANAGE_BUSINESS)
def branding(request):
    form = BrandingForm(
        request.POST or None,
        request.FILES or None,
        initial={"colour": brand_colour(request.business)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            branding_update(
                business=request.business,
                actor=request.user,
                colour=form.cleaned_data["colour"],
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Branding saved."))
            return redirect("crm:branding", business_slug=request.business.slug)
    return render(
        request,
        "crm/settings/branding.html",
        {"form": form, "colour": brand_colour(request.business)},
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def client_fields(request):
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["choices"] = [c.strip() for c in data["choices"].split(",") if c.strip()]
        data["position"] = data["position"] or 0
        try:
            client_services.custom_field_save(business=request.business, actor=request.user, **data)
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Field added."))
            return redirect("crm:client_fields", business_slug=request.business.slug)
    fields = CustomFieldDefinition.objects.order_by("position", "id")
    return render(request, "crm/settings/client_fields.html", {"form": form, "fields": fields})


@require_POST
@backoffice_view(Capability.MANAGE_BUSINESS)
def client_field_delete(request, field_id: int):
    field = CustomFieldDefinition.objects.filter(pk=field_id).first()
    if field is None:
        raise Http404
    client_services.custom_field_delete(business=request.business, actor=request.user, field=field)
    messages.success(request, _("Field removed."))
    return redirect("crm:client_fields", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def consultation_forms(request):
    form = ConsultationFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questions = [
            line.strip() for line in form.cleaned_data["questions"].splitlines() if line.strip()
        ]
        try:
            client_services.consultation_form_save(
                business=request.business,
                actor=request.user,
                name=form.cleaned_data["name"],
                questions=questions,
                service_id=form.cleaned_data["service_id"],
            )
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Consultation form saved."))
            return redirect("crm:consultation_forms", business_slug=request.business.slug)
    forms = (
        ConsultationForm.objects.filter(is_active=True)
        .select_related("service")
        .order_by("name", "id")
    )
    return render(request, "crm/settings/consultation_forms.html", {"form": form, "forms": forms})
