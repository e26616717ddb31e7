"""Marketing API: campaigns (save, audience and hold-out estimate, preview per
language, send, stop, report), journeys (switch, settings, effect), the salon's
marketing settings, and the signed-in client's subscriptions. Thin views over
`marketing.services` and `marketing.selectors` (owners and managers:
`manage_business`); ids are looked up in the business's scope (another salon's: 404)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.marketing import selectors, sending, services
from solibook.marketing.api.serializers import (
    CampaignIn,
    CampaignOut,
    CampaignPreviewOut,
    CampaignReportOut,
    EstimateOut,
    JourneyIn,
    JourneyOut,
    SettingsIO,
    SubscriptionIn,
    SubscriptionOut,
)
from solibook.marketing.models import Campaign, JourneyKind

MANAGE = Capability.MANAGE_BUSINESS
TAGS = ["marketing"]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class MarketingApi(BusinessScopedMixin, APIView):
    capability = MANAGE


def _campaign(pk: int) -> Campaign:
    campaign = Campaign.objects.prefetch_related("templates").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _values(data: dict) -> dict:
    data = dict(data)
    data["audience_kind"] = data.pop("audience")
    return data


@extend_schema(tags=TAGS)
class CampaignListApi(MarketingApi):
    pagination_class = Pagination

    @extend_schema(responses=CampaignOut(many=True), summary="Campaigns, newest first")
    def get(self, request, business_id: int):
        return paginated(self, Campaign.objects.prefetch_related("templates"), CampaignOut)

    @extend_schema(
        request=CampaignIn,
        responses={201: CampaignOut},
        parameters=[IDEMPOTENCY],
        summary="Create a draft campaign (a template with an error: 400 naming the field and line)",
    )
    def post(self, request, business_id: int):
        data = _values(body(CampaignIn, request))
        return run_idempotent(
            request,
            operation="marketing.campaign_create",
            handler=lambda: Response(
                CampaignOut(
                    _campaign(
                        services.campaign_save(
                            business=self.business, actor=request.user, **data
                        ).pk
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class CampaignDetailApi(MarketingApi):
    @extend_schema(responses=CampaignOut, summary="One campaign")
    def get(self, request, business_id: int, campaign_id: int):
        return Response(CampaignOut(_campaign(campaign_id)).data)

    @extend_schema(request=CampaignIn, responses=CampaignOut, summary="Change a draft")
    def put(self, request, business_id: int, campaign_id: int):
        campaign = _campaign(campaign_id)
        data = _values(body(CampaignIn, request))
        services.campaign_save(
            business=self.business, actor=request.user, campaign=campaign, **data
        )
        return Response(CampaignOut(_campaign(campaign_id)).data)


@extend_schema(tags=TAGS)
class CampaignEstimateApi(MarketingApi):
    @extend_schema(
        responses=EstimateOut,
        summary="Who sending now would reach: members, who agreed, reachable, the hold-out",
    )
    def get(self, request, business_id: int, campaign_id: int):
        campaign = _campaign(campaign_id)
        return Response(
            EstimateOut(services.audience_estimate(business=self.business, campaign=campaign)).data
        )


@extend_schema(tags=TAGS)
class CampaignPreviewApi(MarketingApi):
    @extend_schema(responses=CampaignPreviewOut(many=True), summary="The message in each language")
    def get(self, request, business_id: int, campaign_id: int):
        rows = selectors.campaign_previews(campaign=_campaign(campaign_id), business=self.business)
        return Response(CampaignPreviewOut(rows, many=True).data)


@extend_schema(tags=TAGS)
class CampaignSendApi(MarketingApi):
    @extend_schema(
        request=None,
        responses=CampaignOut,
        parameters=[IDEMPOTENCY],
        summary="Draw the audience and hold-out, then send (or schedule)",
    )
    def post(self, request, business_id: int, campaign_id: int):
        _campaign(campaign_id)
        return run_idempotent(
            request,
            operation="marketing.campaign_send",
            handler=lambda: Response(
                CampaignOut(
                    services.campaign_send(
                        business=self.business, actor=request.user, campaign_id=campaign_id
                    )
                ).data
            ),
        )


@extend_schema(tags=TAGS)
class CampaignCancelApi(MarketingApi):
    @extend_schema(request=None, responses=CampaignOut, summary="Stop a campaign")
    def post(self, request, business_id: int, campaign_id: int):
        _campaign(campaign_id)
        campaign = services.campaign_cancel(
            business=self.business, actor=request.user, campaign_id=campaign_id
        )
        return Response(CampaignOut(campaign).data)


@extend_schema(tags=TAGS)
class CampaignReportApi(MarketingApi):
    @extend_schema(
        responses=CampaignReportOut, summary="Delivery, opens, clicks, cost and the effect"
    )
    def get(self, request, business_id: int, campaign_id: int):
        report = selectors.campaign_report(campaign=_campaign(campaign_id))
        return Response(CampaignReportOut(report).data)


def _journey_out(journey) -> dict:
    return JourneyOut(journey).data


@extend_schema(tags=TAGS)
class JourneyListApi(MarketingApi):
    @extend_schema(responses=JourneyOut(many=True), summary="The automatic journeys")
    def get(self, request, business_id: int):
        return Response(
            [_journey_out(services.journey_of(self.business, kind)) for kind in JourneyKind.values]
        )


@extend_schema(tags=TAGS)
class JourneyDetailApi(MarketingApi):
    @extend_schema(request=JourneyIn, responses=JourneyOut, summary="Switch and set a journey")
    def put(self, request, business_id: int, kind: str):
        if kind not in JourneyKind.values:
            raise Http404
        data = body(JourneyIn, request)
        journey = services.journey_update(
            business=self.business, actor=request.user, kind=kind, **data
        )
        return Response(_journey_out(journey))


@extend_schema(tags=TAGS)
class JourneyReportApi(MarketingApi):
    @extend_schema(responses=CampaignReportOut, summary="A journey's effect against its hold-out")
    def get(self, request, business_id: int, kind: str):
        if kind not in JourneyKind.values:
            raise Http404
        prefs = sending.settings_of(self.business)
        report = selectors.journey_report(
            business=self.business, kind=kind, window_days=prefs.window_days
        )
        return Response(CampaignReportOut(report).data)


@extend_schema(tags=TAGS)
class SettingsApi(MarketingApi):
    @extend_schema(responses=SettingsIO, summary="Quiet hours, hold-out, throttle, window")
    def get(self, request, business_id: int):
        prefs = sending.settings_of(self.business)
        return Response(_settings_out(prefs))

    @extend_schema(request=SettingsIO, responses=SettingsIO, summary="Change them")
    def put(self, request, business_id: int):
        data = body(SettingsIO, request)
        prefs = services.settings_update(business=self.business, actor=request.user, **data)
        return Response(_settings_out(prefs))


def _settings_out(prefs) -> dict:
    return SettingsIO(
        {
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "holdout_percent": prefs.holdout_percent,
            "window_days": prefs.window_days,
            "throttle": {c: prefs.rate(c) for c in ("email", "sms", "whatsapp", "push")},
        }
    ).data


@extend_schema(tags=TAGS)
class SubscriptionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SubscriptionOut(many=True), summary="Which salons may send me offers")
    def get(self, request):
        return Response(_subscriptions(request.user))

    @extend_schema(
        request=SubscriptionIn, responses=SubscriptionOut(many=True), summary="Change one"
    )
    def put(self, request):
        data = body(SubscriptionIn, request)
        services.subscriptions_set(
            user=request.user, business_id=data["business_id"], granted=data["subscribed"]
        )
        return Response(_subscriptions(request.user))


def _subscriptions(user) -> list:
    return [
        {
            "business_id": row["business"].pk,
            "business_name": row["business"].name,
            "subscribed": row["subscribed"],
        }
        for row in selectors.client_subscriptions(user=user)
    ]
