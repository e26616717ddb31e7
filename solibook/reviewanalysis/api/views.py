"""Review analysis, read only: the same selectors as the pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Master
from solibook.reviewanalysis.api.serializers import (
    ReadingOut,
    ReadingsQuery,
    SummaryOut,
    SummaryQuery,
)
from solibook.reviewanalysis.selectors import review_readings, summary


class ReviewAnalysisSummaryApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        parameters=[SummaryQuery],
        responses=SummaryOut,
        summary="Strengths, weaknesses with quotes, monthly trend and alerts (salon or master)",
        tags=["review analysis"],
    )
    def get(self, request, business_id: int):
        query = SummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        master = None
        if query.validated_data.get("master_id"):
            master = get_object_or_404(Master.objects.all(), pk=query.validated_data["master_id"])
        data = summary(business=self.business, now=timezone.now(), master=master)
        note = "" if data.reviews else _("No published review in the last twelve months yet.")
        return Response(
            SummaryOut(
                {
                    **vars(data),
                    "strengths": [f.aspect for f in data.strengths],
                    "weaknesses": [f.aspect for f in data.weaknesses],
                    "note": note,
                }
            ).data
        )


class ReviewReadingsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        parameters=[ReadingsQuery],
        responses=ReadingOut(many=True),
        summary="What the models read in each review, newest first",
        tags=["review analysis"],
    )
    def get(self, request, business_id: int):
        query = ReadingsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = review_readings(business=self.business, **query.validated_data)
        return Response(ReadingOut(rows, many=True).data)
