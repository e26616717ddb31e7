"""Client pages: the list with search-as-you-type, the card (contacts,
details, history and totals, notes, consents, patch tests, consultations,
merge, erasure), segments, CSV import with a progress bar, exports.

Thin entry points: each calls `clients.services` / `clients.selectors` (and
`booking.client_visits` for what a card's appointments say), the same
functions the API calls (`clients/api/views.py`)."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking import client_visits
from solibook.clients import imports, selectors, services
from solibook.clients.api.views import export_response
from solibook.clients.forms import (
    ClientForm,
    ConsentForm,
    ConsultationFormForm,
    CustomFieldForm,
    ImportMappingForm,
    ImportUploadForm,
    MergeForm,
    NoteForm,
    PatchTestForm,
    SegmentForm,
)
from solibook.clients.models import (
    Client,
    ClientConsent,
    ConsentKind,
    ConsultationForm,
    CustomFieldDefinition,
    ImportJob,
    Segment,
)
from solibook.core.ids import is_db_id
from solibook.core.money import minor_digits
from solibook.core.refusals import refusals
from solibook.referrals.selectors import card_balances


def _card(request, client_id: int) -> Client:
    client = selectors.active_clients(business=request.business).filter(pk=client_id).first()
    if client is None:
        raise Http404
    return client


@backoffice_view(Capability.MANAGE_CLIENTS)
def client_list(request):
    q = request.GET.get("q", "").strip()[:100]
    if len(q) >= 2:
        rows = selectors.client_search(business=request.business, q=q, limit=100)
        page = None
    else:
        query = (
            client_visits.with_totals(selectors.active_clients(business=request.business))
            .prefetch_related("tags")
            .order_by("last_name", "first_name", "id")
        )
        page = Paginator(query, 50).get_page(request.GET.get("page"))
        rows = list(page)
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "can_export": request.access.can(Capability.EXPORT_CLIENTS),
    }
    if request.htmx:
        return render(request, "clients/office/clients/_rows.html", context)
    return render(request, "clients/office/clients/list.html", context)


def _custom_fields():
    return list(CustomFieldDefinition.objects.order_by("position", "id"))


@backoffice_view(Capability.MANAGE_CLIENTS)
def client_new(request):
    form = ClientForm(request.POST or None, custom_fields=_custom_fields())
    if request.method == "POST" and form.is_valid():
        data, tags = form.service_data()
        with refusals(form, fields=_form_key) as refused:
            client = services.client_create(
                business=request.business, actor=request.user, data=data, tags=tags
            )
        if not refused:
            messages.success(request, _("Client card created."))
            return redirect(
                "clients:client_detail", business_slug=request.business.slug, client_id=client.pk
            )
    return render(request, "clients/office/clients/form.html", {"form": form, "client": None})


def _form_key(key: str) -> str:
    # Custom field errors name "custom_values.<key>"; the form calls it "custom__<key>".
    return key.replace("custom_values.", "custom__")


@backoffice_view(Capability.MANAGE_CLIENTS)
def client_edit(request, client_id: int):
    client = _card(request, client_id)
    initial = {
        **{
            name: getattr(client, name)
            for name in (
                "first_name",
                "last_name",
                "email",
                "birthday",
                "gender",
                "language",
                "hair_type",
                "skin_type",
                "allergies",
                "source",
                "notes",
            )
        },
        "phone": str(client.phone or ""),
        "preferred_master_id": client.preferred_master_id,
        "tags": ", ".join(t.name for t in client.tags.all()),
        **{f"custom__{k}": v for k, v in client.custom_values.items()},
    }
    form = ClientForm(request.POST or None, initial=initial, custom_fields=_custom_fields())
    if request.method == "POST" and form.is_valid():
        data, tags = form.service_data()
        with refusals(form, fields=_form_key) as refused:
            services.client_update(
                business=request.business, client=client, actor=request.user, data=data, tags=tags
            )
        if not refused:
            messages.success(request, _("Client card saved."))
            return redirect(
                "clients:client_detail", business_slug=request.business.slug, client_id=client.pk
            )
    return render(request, "clients/office/clients/form.html", {"form": form, "client": client})


@backoffice_view(Capability.VIEW_OWN_CALENDAR)
def client_detail(request, client_id: int):
    client = _card(request, client_id)
    full = request.access.can(Capability.MANAGE_CLIENTS)
    if not full:
        # A master sees the card of a client booked with them: what they need to serve them.
        if not client_visits.client_booked_with(client=client, user=request.user):
            raise Http404
        services.client_card_viewed(
            business=request.business,
            actor=request.user,
            client=client,
            fields=("allergies", "notes"),
            via="page",
        )
        return render(
            request,
            "clients/office/clients/detail_master.html",
            {"client": client, "patch_tests": client.patch_tests.select_related("service")},
        )
    services.client_card_viewed(
        business=request.business,
        actor=request.user,
        client=client,
        fields=services.SENSITIVE_FIELDS,
        via="page",
    )
    return render(request, "clients/office/clients/detail.html", _detail_context(request, client))


def _to_check_out(request, history) -> set[int]:
    """Ids of the card's visits the till can still check out (for a role that takes payments)."""
    if not request.access.can(Capability.TAKE_PAYMENTS):
        return set()
    from solibook.finance.models import Checkout
    from solibook.finance.services.checkout import CHECKOUT_STATUSES

    open_ = [a.pk for a in history if a.status in CHECKOUT_STATUSES]
    paid = set(
        Checkout.objects.filter(appointment_id__in=open_).values_list("appointment_id", flat=True)
    )
    return set(open_) - paid


def _detail_context(request, client: Client, **forms) -> dict:
    history = client_visits.client_history(client=client, limit=50)
    consents = selectors.consent_state(client=client)
    custom = [
        (d, client.custom_values.get(d.key))
        for d in _custom_fields()
        if client.custom_values.get(d.key) not in (None, "")
    ]
    return {
        "client": client,
        "stats": client_visits.client_stats(client=client, now=timezone.now()),
        # Points, tier, wallet credit, vouchers, gift cards and packages of this card.
        "balances": card_balances(client=client, now=timezone.now()),
        "history": history,
        # The desk opens the till from the card: visits still to check out.
        "to_check_out": _to_check_out(request, history),
        "consents": [
            (ConsentKind(kind).label, consents.get(kind))
            for kind in ("marketing", "data_processing", "email", "sms", "whatsapp", "push")
        ],
        "consent_history": ClientConsent.objects.filter(client=client)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")[:50],
        "notes": client.note_entries.select_related("author")[:50],
        "patch_tests": client.patch_tests.select_related("service"),
        "consultations": client.consultations.select_related("form"),
        "consultation_forms": ConsultationForm.objects.filter(is_active=True).order_by("name"),
        "custom": custom,
        "today": timezone.localdate(),
        "now": timezone.now(),
        "note_form": forms.get("note_form") or NoteForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "patch_form": forms.get("patch_form") or PatchTestForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "can_erase": request.access.can(Capability.ERASE_CLIENTS),
    }


def _back(request, client: Client, anchor: str = ""):
    return redirect(
        reverse(
            "clients:client_detail",
            kwargs={"business_slug": request.business.slug, "client_id": client.pk},
        )
        + anchor
    )


def _detail_with(request, client: Client, **forms):
    return render(
        request,
        "clients/office/clients/detail.html",
        _detail_context(request, client, **forms),
        status=400,
    )


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def client_note(request, client_id: int):
    client = _card(request, client_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        with refusals(form):
            services.client_note_add(
                business=request.business,
                client=client,
                actor=request.user,
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("Note added."))
            return _back(request, client, "#notes")
    return _detail_with(request, client, note_form=form)


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def client_consent(request, client_id: int):
    client = _card(request, client_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        with refusals(form):
            services.client_consent_record(
                business=request.business,
                client=client,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                granted=form.cleaned_data["granted"],
            )
            messages.success(request, _("Consent recorded."))
            return _back(request, client, "#consents")
    return _detail_with(request, client, consent_form=form)


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def client_patch_test(request, client_id: int):
    client = _card(request, client_id)
    form = PatchTestForm(request.POST)
    if form.is_valid():
        with refusals(form):
            services.client_patch_test_add(
                business=request.business, client=client, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Patch test recorded."))
            return _back(request, client, "#patch-tests")
    return _detail_with(request, client, patch_form=form)


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def client_consultation(request, client_id: int):
    client = _card(request, client_id)
    form_id = request.POST.get("form_id", "")
    if not is_db_id(form_id):
        return HttpResponseBadRequest(_("Choose a consultation form."))
    form = ConsultationForm.objects.filter(pk=int(form_id)).first()
    if form is None:
        raise Http404
    answers = [request.POST.get(f"answer_{i}", "")[:2000] for i in range(len(form.questions))]
    with refusals(request=request) as refused:
        services.consultation_answer_add(
            business=request.business,
            client=client,
            actor=request.user,
            form_id=form.pk,
            answers=answers,
        )
    if not refused:
        messages.success(request, _("Answers saved."))
    return _back(request, client, "#consultations")


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def client_merge(request, client_id: int):
    client = _card(request, client_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = (
            selectors.active_clients(business=request.business)
            .filter(pk=form.cleaned_data["duplicate_id"])
            .first()
        )
        if duplicate is None:
            form.add_error("duplicate_id", _("No such client."))
        else:
            with refusals(form):
                services.client_merge(
                    business=request.business,
                    target=client,
                    duplicate=duplicate,
                    actor=request.user,
                )
                messages.success(request, _("The cards are merged."))
                return _back(request, client)
    return _detail_with(request, client, merge_form=form)


@require_POST
@backoffice_view(Capability.ERASE_CLIENTS)
def client_erase(request, client_id: int):
    client = _card(request, client_id)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return _back(request, client, "#erase")
    services.client_erase(business=request.business, client=client, actor=request.user)
    messages.success(request, _("The client's personal data is erased; visits and amounts stay."))
    return redirect("clients:client_list", business_slug=request.business.slug)


@backoffice_view(Capability.EXPORT_CLIENTS)
def client_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    segment = request.GET.get("segment", "")
    if segment and not is_db_id(segment):
        raise Http404
    return export_response(request.business, request.user, fmt, int(segment) if segment else None)


# --- segments -------------------------------------------------------------------


@backoffice_view(Capability.MANAGE_CLIENTS)
def segment_list(request):
    form = SegmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        spend = data.pop("spend_above")
        if spend is not None:
            data["spend_above"] = int(
                spend * Decimal(10 ** minor_digits(request.business.currency))
            )
        with refusals(form) as refused:
            segment = services.segment_save(
                business=request.business, actor=request.user, name=data.pop("name"), filters=data
            )
        if not refused:
            messages.success(request, _("Segment saved."))
            return redirect(
                "clients:segment_detail", business_slug=request.business.slug, segment_id=segment.pk
            )
    segments = list(Segment.objects.select_related("tag", "service").order_by("name", "id"))
    for segment in segments:
        segment.size = client_visits.segment_clients(
            business=request.business, segment=segment
        ).count()
    return render(
        request, "clients/office/clients/segments.html", {"form": form, "segments": segments}
    )


@backoffice_view(Capability.MANAGE_CLIENTS)
def segment_detail(request, segment_id: int):
    segment = Segment.objects.select_related("tag", "service").filter(pk=segment_id).first()
    if segment is None:
        raise Http404
    query = client_visits.with_totals(
        client_visits.segment_clients(business=request.business, segment=segment)
    ).prefetch_related("tags")
    page = Paginator(query, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/office/clients/segment_detail.html",
        {
            "segment": segment,
            "page": page,
            "can_export": request.access.can(Capability.EXPORT_CLIENTS),
        },
    )


@require_POST
@backoffice_view(Capability.MANAGE_CLIENTS)
def segment_delete(request, segment_id: int):
    segment = Segment.objects.filter(pk=segment_id).first()
    if segment is None:
        raise Http404
    segment.delete()
    messages.success(request, _("Segment deleted."))
    return redirect("clients:segment_list", business_slug=request.business.slug)


# --- import ----------------------------------------------------------------------


@backoffice_view(Capability.EXPORT_CLIENTS)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = b"x" * (imports.MAX_BYTES + 1) if upload.size > imports.MAX_BYTES else upload.read()
        # What the service names that the form has not is about the file.
        with refusals(form, fields=lambda key: key if key in form.fields else "file") as refused:
            job = imports.import_upload(
                business=request.business,
                actor=request.user,
                file_name=upload.name,
                raw=raw,
                encoding=form.cleaned_data["encoding"],
            )
        if not refused:
            return redirect(
                "clients:import_detail", business_slug=request.business.slug, job_id=job.pk
            )
    jobs = ImportJob.objects.defer("content").order_by("-created_at", "-id")[:10]
    return render(
        request, "clients/office/clients/import_upload.html", {"form": form, "jobs": jobs}
    )


def _job(job_id: int, *, content: bool = False) -> ImportJob:
    query = ImportJob.objects.all() if content else ImportJob.objects.defer("content")
    job = query.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def _mapping_key(key: str) -> str:
    # "mapping.<field>" is the form's field; "mapping" itself is the whole form.
    return key.removeprefix("mapping.") if key != "mapping" else "__all__"


@backoffice_view(Capability.EXPORT_CLIENTS)
def import_detail(request, job_id: int):
    job = _job(job_id, content=request.method == "POST")
    if job.state != ImportJob.State.UPLOADED:
        return render(request, "clients/office/clients/import_progress_page.html", {"job": job})
    initial = {field: str(column) for field, column in job.mapping.items()}
    form = ImportMappingForm(request.POST or None, initial=initial, headers=job.headers)
    preview = None
    if request.method == "POST" and form.is_valid():
        with refusals(form, fields=_mapping_key):
            if request.POST.get("action") == "start":
                imports.import_start(
                    business=request.business, job=job, mapping=form.mapping(), actor=request.user
                )
                return redirect(
                    "clients:import_detail", business_slug=request.business.slug, job_id=job.pk
                )
            preview = imports.import_preview(job=job, mapping=form.mapping())
    elif request.method == "GET" and job.mapping:
        with refusals():  # a saved mapping the file no longer fits: no preview
            preview = imports.import_preview(job=_job(job_id, content=True), mapping=job.mapping)
    labels = dict(imports.FIELDS)
    return render(
        request,
        "clients/office/clients/import_mapping.html",
        {
            "job": job,
            "form": form,
            "preview": preview,
            "labels": labels,
            "fields": list(imports.FIELDS),
        },
    )


@backoffice_view(Capability.EXPORT_CLIENTS)
def import_progress(request, job_id: int):
    """The progress fragment the page polls (htmx) while the import runs."""
    return render(request, "clients/office/clients/_import_progress.html", {"job": _job(job_id)})


# ---------------------------------------------------------------- settings: custom fields, consultation forms


@backoffice_view(Capability.MANAGE_BUSINESS)
def client_fields(request):
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["choices"] = [c.strip() for c in data["choices"].split(",") if c.strip()]
        data["position"] = data["position"] or 0
        with refusals(form) as refused:
            services.custom_field_save(business=request.business, actor=request.user, **data)
        if not refused:
            messages.success(request, _("Field added."))
            return redirect("clients:client_fields", business_slug=request.business.slug)
    fields = CustomFieldDefinition.objects.order_by("position", "id")
    return render(request, "clients/office/client_fields.html", {"form": form, "fields": fields})


@require_POST
@backoffice_view(Capability.MANAGE_BUSINESS)
def client_field_delete(request, field_id: int):
    field = CustomFieldDefinition.objects.filter(pk=field_id).first()
    if field is None:
        raise Http404
    services.custom_field_delete(business=request.business, actor=request.user, field=field)
    messages.success(request, _("Field removed."))
    return redirect("clients:client_fields", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def consultation_forms(request):
    form = ConsultationFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questions = [
            line.strip() for line in form.cleaned_data["questions"].splitlines() if line.strip()
        ]
        with refusals(form) as refused:
            services.consultation_form_save(
                business=request.business,
                actor=request.user,
                name=form.cleaned_data["name"],
                questions=questions,
                service_id=form.cleaned_data["service_id"],
            )
        if not refused:
            messages.success(request, _("Consultation form saved."))
            return redirect("clients:consultation_forms", business_slug=request.business.slug)
    forms = (
        ConsultationForm.objects.filter(is_active=True)
        .select_related("service")
        .order_by("name", "id")
    )
    return render(request, "clients/office/consultation_forms.html", {"form": form, "forms": forms})
