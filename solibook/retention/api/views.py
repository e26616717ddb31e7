"""Retention API: the RFM segments with their counts and clients, the clients at risk with
their reasons, and one card's risk and segment. Thin views over `retention.selectors`;
reading needs `manage_clients`. Card ids are looked up in the business's scope."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.clients.selectors import active_clients
from solibook.core.errors import ValidationFailed
from solibook.retention import selectors
from solibook.retention.api.serializers import ClientRetentionOut, RfmSegmentListOut

TAGS = ["retention"]


class RetentionApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS


def _row(client, risk, score) -> dict:
    return {"client_id": client.pk, "name": str(client), "risk": risk, "rfm": score}


@extend_schema(tags=TAGS)
class SegmentListApi(RetentionApi):
    @extend_schema(responses=RfmSegmentListOut, summary="RFM segments with their counts")
    def get(self, request, business_id: int):
        found = selectors.overview(business=self.business, now=timezone.now(), limit=0)
        return Response(
            RfmSegmentListOut(
                {
                    "method": found.method,
                    "clients_with_visits": found.scored,
                    "segments": [
                        {"code": c, "label": label, "description": d, "count": n}
                        for c, label, d, n in found.segments
                    ],
                }
            ).data
        )


SEGMENT = OpenApiParameter(
    "segment", str, enum=list(selectors.SEGMENTS), required=True, description="An RFM segment."
)


@extend_schema(tags=TAGS)
class SegmentClientsApi(RetentionApi):
    pagination_class = Pagination

    @extend_schema(
        parameters=[SEGMENT],
        responses=ClientRetentionOut(many=True),
        summary="The clients of one RFM segment, biggest spenders first",
    )
    def get(self, request, business_id: int):
        code = request.query_params.get("segment", "")
        if code not in selectors.SEGMENTS:
            raise ValidationFailed(
                _("Choose a segment."), fields={"segment": [_("Unknown segment.")]}
            )
        now = timezone.now()
        scores = selectors.rfm(business=self.business, now=now)
        risks = selectors.churn_risk(business=self.business, now=now)
        cards = selectors.segment_clients(business=self.business, code=code, now=now)
        rows = [
            _row(c, risks.get(c.pk), scores.get(c.pk))
            for c in sorted(cards, key=lambda c: (-scores[c.pk].spend, c.pk))
        ]
        return paginated(self, rows, ClientRetentionOut)


BAND = OpenApiParameter(
    "band",
    str,
    enum=["high", "medium"],
    required=False,
    description="Only this band (default: high and medium).",
)


@extend_schema(tags=TAGS)
class AtRiskApi(RetentionApi):
    pagination_class = Pagination

    @extend_schema(
        parameters=[BAND],
        responses=ClientRetentionOut(many=True),
        summary="Clients at risk of not coming back, riskiest first, with the reasons",
    )
    def get(self, request, business_id: int):
        band = request.query_params.get("band")
        bands = (band,) if band in ("high", "medium") else ("high", "medium")
        rows, _total = selectors.at_risk(
            business=self.business, now=timezone.now(), bands=bands, limit=None
        )
        return paginated(self, [_row(r.client, r.risk, r.rfm) for r in rows], ClientRetentionOut)


@extend_schema(tags=TAGS)
class ClientRetentionApi(RetentionApi):
    @extend_schema(
        responses=ClientRetentionOut,
        summary="One client card's churn risk, its reasons and its RFM segment",
    )
    def get(self, request, business_id: int, client_id: int):
        client = active_clients(business=self.business).filter(pk=client_id).first()
        if client is None:
            raise Http404
        risk, score = selectors.client_retention(
            business=self.business, client=client, now=timezone.now()
        )
        return Response(ClientRetentionOut(_row(client, risk, score)).data)
