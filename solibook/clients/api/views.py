"""Client cards API: list and search, the card, notes, consents, patch
tests, consultations, merge, erasure, export, import, segments, custom
fields. Thin views: each calls `solibook.clients.services` (writes) or
`selectors` (reads), and `booking.client_visits` for what a card's
appointments say (totals, segments). Roles: see docs/roles.md."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.pagination import Pagination
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking import client_visits
from solibook.clients import exports, imports, selectors, services
from solibook.clients.api.serializers import (
    ClientIn,
    ClientListOut,
    ClientOut,
    ConsentIn,
    ConsentOut,
    ConsultationFormIn,
    ConsultationFormOut,
    ConsultationIn,
    ConsultationOut,
    CustomFieldIn,
    CustomFieldOut,
    ExportQuery,
    ImportJobOut,
    ImportPreviewIn,
    ImportStartIn,
    ImportUploadIn,
    MasterClientOut,
    MergeIn,
    NoteIn,
    NoteOut,
    PatchTestIn,
    PatchTestOut,
    SearchQuery,
    SegmentIn,
    SegmentOut,
)
from solibook.clients.models import (
    Client,
    ClientConsent,
    ConsultationForm,
    CustomFieldDefinition,
    ImportJob,
    Segment,
)
from solibook.core.tenancy import business_scope

_WRITES = ("POST", "PUT", "PATCH", "DELETE")
WRITE_CLIENTS = dict.fromkeys(_WRITES, Capability.MANAGE_CLIENTS)
WRITE_BUSINESS = dict.fromkeys(_WRITES, Capability.MANAGE_BUSINESS)


def _body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _query(serializer_class, request) -> dict:
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _card(view, client_id: int) -> Client:
    return get_object_or_404(selectors.active_clients(business=view.business), pk=client_id)


def _list_row(client: Client) -> dict:
    return {
        "id": client.pk,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "phone": str(client.phone or ""),
        "email": client.email,
        "user_id": client.user_id,
        "tags": [t.name for t in client.tags.all()],
    }


def card_out(client: Client, business) -> dict:
    stats = client_visits.client_stats(client=client, now=timezone.now())
    consents = selectors.consent_state(client=client)
    return {
        **_list_row(client),
        "language": client.language,
        "birthday": client.birthday,
        "gender": client.gender,
        "hair_type": client.hair_type,
        "skin_type": client.skin_type,
        "allergies": client.allergies,
        "preferred_master_id": client.preferred_master_id,
        "source": client.source,
        "notes": client.notes,
        "custom_values": client.custom_values,
        "created_at": client.created_at,
        "visits": stats.visits,
        "total_spend": stats.total_spend,
        "currency": business.currency,
        "no_shows": stats.no_shows,
        "last_visit": stats.last_visit,
        "consents": ConsentOut(list(consents.values()), many=True).data,
    }


class ClientListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    pagination_class = Pagination

    @extend_schema(
        parameters=[SearchQuery],
        responses=ClientListOut(many=True),
        summary="Client cards (search by name, phone or e-mail)",
        tags=["clients"],
    )
    def get(self, request, business_id: int):
        q = _query(SearchQuery, request)["q"].strip()
        if len(q) >= 2:
            ids = [c.pk for c in selectors.client_search(business=self.business, q=q, limit=200)]
            rows = Client.objects.filter(pk__in=ids)
        else:
            rows = selectors.active_clients(business=self.business)
        rows = rows.prefetch_related("tags").order_by("last_name", "first_name", "id")
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            ClientListOut([_list_row(c) for c in page], many=True).data
        )

    @extend_schema(
        request=ClientIn,
        responses={201: ClientOut},
        summary="Create a client card",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        data = dict(_body(ClientIn, request))
        tags = data.pop("tags", None)
        client = services.client_create(
            business=self.business, actor=request.user, data=data, tags=tags
        )
        return Response(
            ClientOut(card_out(client, self.business)).data, status=status.HTTP_201_CREATED
        )


class ClientDetailApi(BusinessScopedMixin, APIView):
    """A master may read the cards of clients booked with them (without contacts or money)."""

    capability = Capability.VIEW_OWN_CALENDAR
    capability_by_method = WRITE_CLIENTS

    @extend_schema(
        responses={200: ClientOut},
        summary="A client card with totals and current consents (a master: what they need)",
        tags=["clients"],
    )
    def get(self, request, business_id: int, client_id: int):
        client = _card(self, client_id)
        if not self.access.can(Capability.MANAGE_CLIENTS):
            if not client_visits.client_booked_with(client=client, user=request.user):
                raise Http404
            services.client_card_viewed(
                business=self.business,
                actor=request.user,
                client=client,
                fields=("allergies", "notes"),
                via="api",
            )
            return Response(MasterClientOut(client).data)
        services.client_card_viewed(
            business=self.business,
            actor=request.user,
            client=client,
            fields=services.SENSITIVE_FIELDS,
            via="api",
        )
        return Response(ClientOut(card_out(client, self.business)).data)

    @extend_schema(
        request=ClientIn, responses=ClientOut, summary="Change a client card", tags=["clients"]
    )
    def patch(self, request, business_id: int, client_id: int):
        client = _card(self, client_id)
        data = dict(_body(ClientIn, request))
        tags = data.pop("tags", None)
        client = services.client_update(
            business=self.business, client=client, actor=request.user, data=data, tags=tags
        )
        return Response(ClientOut(card_out(client, self.business)).data)


class ClientEraseApi(BusinessScopedMixin, APIView):
    capability = Capability.ERASE_CLIENTS

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Erase a client's personal data (GDPR); visits and amounts stay",
        tags=["clients"],
    )
    def post(self, request, business_id: int, client_id: int):
        services.client_erase(
            business=self.business, client=_card(self, client_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientMergeApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(
        request=MergeIn,
        responses=ClientOut,
        summary="Merge a duplicate card into another",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        data = _body(MergeIn, request)
        target = _card(self, data["target_id"])
        duplicate = _card(self, data["duplicate_id"])
        merged = services.client_merge(
            business=self.business, target=target, duplicate=duplicate, actor=request.user
        )
        return Response(ClientOut(card_out(merged, self.business)).data)


class ClientNoteListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    pagination_class = Pagination

    @extend_schema(responses=NoteOut(many=True), summary="A client's notes", tags=["clients"])
    def get(self, request, business_id: int, client_id: int):
        client = _card(self, client_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            client.note_entries.select_related("author").order_by("-created_at", "-id"),
            request,
            view=self,
        )
        return paginator.get_paginated_response(NoteOut(page, many=True).data)

    @extend_schema(
        request=NoteIn, responses={201: NoteOut}, summary="Add a note to a client", tags=["clients"]
    )
    def post(self, request, business_id: int, client_id: int):
        note = services.client_note_add(
            business=self.business,
            client=_card(self, client_id),
            actor=request.user,
            text=_body(NoteIn, request)["text"],
        )
        return Response(NoteOut(note).data, status=status.HTTP_201_CREATED)


class ClientConsentListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    pagination_class = Pagination

    @extend_schema(
        responses=ConsentOut(many=True),
        summary="Every consent decision of a client, newest first",
        tags=["clients"],
    )
    def get(self, request, business_id: int, client_id: int):
        client = _card(self, client_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            ClientConsent.objects.filter(client=client).order_by("-recorded_at", "-id"),
            request,
            view=self,
        )
        return paginator.get_paginated_response(ConsentOut(page, many=True).data)

    @extend_schema(
        request=ConsentIn,
        responses={201: ConsentOut},
        summary="Record a consent decision (appended to the history)",
        tags=["clients"],
    )
    def post(self, request, business_id: int, client_id: int):
        data = _body(ConsentIn, request)
        consent = services.client_consent_record(
            business=self.business, client=_card(self, client_id), actor=request.user, **data
        )
        return Response(ConsentOut(consent).data, status=status.HTTP_201_CREATED)


class ClientPatchTestApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(
        responses=PatchTestOut(many=True), summary="A client's patch tests", tags=["clients"]
    )
    def get(self, request, business_id: int, client_id: int):
        return Response(
            PatchTestOut(
                _card(self, client_id).patch_tests.order_by("-taken_at", "-id")[:200], many=True
            ).data
        )

    @extend_schema(
        request=PatchTestIn,
        responses={201: PatchTestOut},
        summary="Record a patch test",
        tags=["clients"],
    )
    def post(self, request, business_id: int, client_id: int):
        test = services.client_patch_test_add(
            business=self.business,
            client=_card(self, client_id),
            actor=request.user,
            **_body(PatchTestIn, request),
        )
        return Response(PatchTestOut(test).data, status=status.HTTP_201_CREATED)


class ClientConsultationApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(
        responses=ConsultationOut(many=True),
        summary="A client's consultation answers",
        tags=["clients"],
    )
    def get(self, request, business_id: int, client_id: int):
        return Response(
            ConsultationOut(
                _card(self, client_id).consultations.order_by("-created_at", "-id")[:200], many=True
            ).data
        )

    @extend_schema(
        request=ConsultationIn,
        responses={201: ConsultationOut},
        summary="Store a client's answers to a consultation form",
        tags=["clients"],
    )
    def post(self, request, business_id: int, client_id: int):
        answer = services.consultation_answer_add(
            business=self.business,
            client=_card(self, client_id),
            actor=request.user,
            **_body(ConsultationIn, request),
        )
        return Response(ConsultationOut(answer).data, status=status.HTTP_201_CREATED)


class ConsultationFormListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    capability_by_method = WRITE_BUSINESS

    @extend_schema(
        responses=ConsultationFormOut(many=True),
        summary="The salon's consultation forms",
        tags=["clients"],
    )
    def get(self, request, business_id: int):
        return Response(
            ConsultationFormOut(
                ConsultationForm.objects.filter(is_active=True).order_by("name", "id")[:200],
                many=True,
            ).data
        )

    @extend_schema(
        request=ConsultationFormIn,
        responses={201: ConsultationFormOut},
        summary="Add a consultation form (salon-defined questions)",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        form = services.consultation_form_save(
            business=self.business, actor=request.user, **_body(ConsultationFormIn, request)
        )
        return Response(ConsultationFormOut(form).data, status=status.HTTP_201_CREATED)


class ClientExportApi(BusinessScopedMixin, APIView):
    capability = Capability.EXPORT_CLIENTS

    @extend_schema(
        parameters=[ExportQuery],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
        },
        summary="Export client cards (all, or one segment) as CSV or XLSX",
        tags=["clients"],
    )
    def get(self, request, business_id: int):
        query = _query(ExportQuery, request)
        return export_response(
            self.business, request.user, query["file_format"], query.get("segment_id")
        )


def export_response(business, actor, fmt: str, segment_id: int | None) -> HttpResponse:
    """One export path for the page and the API."""
    segment = None
    if segment_id:
        segment = Segment.objects.filter(business=business, pk=segment_id).first()
        if segment is None:
            raise Http404
    rows = client_visits.with_totals(
        client_visits.segment_clients(business=business, segment=segment)
        if segment
        else selectors.active_clients(business=business)
    )
    label = f"segment:{segment.pk}" if segment else "all"
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "xlsx":
        content = exports.export_xlsx(business=business, actor=actor, query=rows, label=label)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="clients-{business.slug}-{stamp}.xlsx"'
        )
    else:
        content = exports.export_csv(business=business, actor=actor, query=rows, label=label)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="clients-{business.slug}-{stamp}.csv"'
        )
    return response


def job_out(job: ImportJob) -> dict:
    return {
        **{f: getattr(job, f) for f in ImportJobOut().fields if f != "percent"},
        "percent": job.percent,
    }


class ImportListApi(BusinessScopedMixin, APIView):
    capability = Capability.EXPORT_CLIENTS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadIn},
        responses={201: ImportJobOut},
        summary="Upload a CSV of clients (then preview and start)",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        data = _body(ImportUploadIn, request)
        upload = data["file"]
        # Too large: refused with the size message without reading it all.
        raw = b"x" * (imports.MAX_BYTES + 1) if upload.size > imports.MAX_BYTES else upload.read()
        job = imports.import_upload(
            business=self.business,
            actor=request.user,
            file_name=upload.name,
            raw=raw,
            encoding=data["encoding"],
        )
        return Response(ImportJobOut(job_out(job)).data, status=status.HTTP_201_CREATED)


def _job(view, job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)


class ImportDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.EXPORT_CLIENTS

    @extend_schema(
        responses=ImportJobOut, summary="An import's state and progress", tags=["clients"]
    )
    def get(self, request, business_id: int, job_id: int):
        return Response(ImportJobOut(job_out(_job(self, job_id))).data)


class ImportPreviewApi(BusinessScopedMixin, APIView):
    capability = Capability.EXPORT_CLIENTS

    @extend_schema(
        request=ImportPreviewIn,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
        summary="The first rows as they would import, with their errors",
        tags=["clients"],
    )
    def post(self, request, business_id: int, job_id: int):
        job = get_object_or_404(ImportJob.objects.all(), pk=job_id)
        rows = imports.import_preview(job=job, mapping=_body(ImportPreviewIn, request)["mapping"])
        return Response({"rows": rows})


class ImportStartApi(BusinessScopedMixin, APIView):
    capability = Capability.EXPORT_CLIENTS

    @extend_schema(
        request=ImportStartIn,
        responses={202: ImportJobOut},
        summary="Start importing in the background with this column mapping",
        tags=["clients"],
    )
    def post(self, request, business_id: int, job_id: int):
        job = get_object_or_404(ImportJob.objects.all(), pk=job_id)
        job = imports.import_start(
            business=self.business,
            job=job,
            mapping=_body(ImportStartIn, request)["mapping"],
            actor=request.user,
        )
        with business_scope(self.business):
            job.refresh_from_db()
        return Response(ImportJobOut(job_out(job)).data, status=status.HTTP_202_ACCEPTED)


class SegmentListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(
        responses=SegmentOut(many=True), summary="Saved client segments", tags=["clients"]
    )
    def get(self, request, business_id: int):
        return Response(SegmentOut(Segment.objects.order_by("name", "id")[:500], many=True).data)

    @extend_schema(
        request=SegmentIn,
        responses={201: SegmentOut},
        summary="Save a segment (filters combine with AND)",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        data = dict(_body(SegmentIn, request))
        segment = services.segment_save(
            business=self.business, actor=request.user, name=data.pop("name"), filters=data
        )
        return Response(SegmentOut(segment).data, status=status.HTTP_201_CREATED)


class SegmentDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(responses=SegmentOut, summary="A segment", tags=["clients"])
    def get(self, request, business_id: int, segment_id: int):
        return Response(SegmentOut(get_object_or_404(Segment.objects.all(), pk=segment_id)).data)

    @extend_schema(responses={204: None}, summary="Delete a segment", tags=["clients"])
    def delete(self, request, business_id: int, segment_id: int):
        get_object_or_404(Segment.objects.all(), pk=segment_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SegmentClientsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    pagination_class = Pagination

    @extend_schema(
        responses=ClientListOut(many=True), summary="The clients in a segment now", tags=["clients"]
    )
    def get(self, request, business_id: int, segment_id: int):
        segment = get_object_or_404(Segment.objects.all(), pk=segment_id)
        rows = client_visits.segment_clients(
            business=self.business, segment=segment
        ).prefetch_related("tags")
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            ClientListOut([_list_row(c) for c in page], many=True).data
        )


class CustomFieldListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    capability_by_method = WRITE_BUSINESS

    @extend_schema(
        responses=CustomFieldOut(many=True),
        summary="The salon's custom fields on client cards",
        tags=["clients"],
    )
    def get(self, request, business_id: int):
        return Response(
            CustomFieldOut(
                CustomFieldDefinition.objects.order_by("position", "id")[:200], many=True
            ).data
        )

    @extend_schema(
        request=CustomFieldIn,
        responses={201: CustomFieldOut},
        summary="Add a custom field to client cards",
        tags=["clients"],
    )
    def post(self, request, business_id: int):
        field = services.custom_field_save(
            business=self.business, actor=request.user, **_body(CustomFieldIn, request)
        )
        return Response(CustomFieldOut(field).data, status=status.HTTP_201_CREATED)


class CustomFieldDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses={204: None},
        summary="Remove a custom field (values stay on the cards, hidden)",
        tags=["clients"],
    )
    def delete(self, request, business_id: int, field_id: int):
        field = get_object_or_404(CustomFieldDefinition.objects.all(), pk=field_id)
        services.custom_field_delete(business=self.business, actor=request.user, field=field)
        return Response(status=status.HTTP_204_NO_CONTENT)


SEARCH_PARAM = OpenApiParameter(
    "q", str, description="Part of a name, phone number or e-mail (2 characters at least)."
)
