"""Offers: the salon's off-peak prices and promo codes (back office), and
what a salon offers publicly. Writes call `offers.services`."""

from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Business
from solibook.offers.api.serializers import (
    OffPeakRuleIn,
    OffPeakRuleOut,
    PromoActiveIn,
    PromoCodeIn,
    PromoCodeOut,
    PublicOffersOut,
)
from solibook.offers.models import OffPeakRule, PromoCode
from solibook.offers.selectors import offer_badges
from solibook.offers.services import (
    offpeak_rule_create,
    offpeak_rule_delete,
    promo_code_create,
    promo_code_set_active,
)


class SalonOffersApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        responses=PublicOffersOut, summary="A salon's running offers: badges and off-peak windows"
    )
    def get(self, request, salon_id: int):
        business = Business.objects.filter(pk=salon_id, is_listed=True).first()
        if business is None:
            raise Http404
        today = timezone.now().date()
        with scopes_disabled():
            rules = OffPeakRule.objects.filter(business=business, is_active=True).exclude(
                valid_until__lt=today
            )
            return Response(
                {
                    "badges": offer_badges([business.pk])[business.pk],
                    "off_peak": OffPeakRuleOut(rules, many=True).data,
                }
            )


class OffPeakRulesApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_BACK_OFFICE
    capability_by_method = {"POST": Capability.MANAGE_BUSINESS}

    @extend_schema(responses=OffPeakRuleOut(many=True), summary="The salon's off-peak prices")
    def get(self, request, business_id: int):
        return Response(
            OffPeakRuleOut(OffPeakRule.objects.filter(business=self.business), many=True).data
        )

    @extend_schema(
        request=OffPeakRuleIn, responses={201: OffPeakRuleOut}, summary="Add an off-peak price"
    )
    def post(self, request, business_id: int):
        data = OffPeakRuleIn(data=request.data)
        data.is_valid(raise_exception=True)
        rule = offpeak_rule_create(
            business=self.business, actor=request.user, **data.validated_data
        )
        return Response(OffPeakRuleOut(rule).data, status=status.HTTP_201_CREATED)


class OffPeakRuleDeleteApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(responses={204: None}, summary="Remove an off-peak price")
    def delete(self, request, business_id: int, rule_id: int):
        offpeak_rule_delete(business=self.business, rule_id=rule_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PromoCodesApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses=PromoCodeOut(many=True), summary="The salon's promo codes with their use counts"
    )
    def get(self, request, business_id: int):
        return Response(
            PromoCodeOut(
                PromoCode.objects.filter(business=self.business, issued_by=""), many=True
            ).data
        )

    @extend_schema(
        request=PromoCodeIn, responses={201: PromoCodeOut}, summary="Create a promo code"
    )
    def post(self, request, business_id: int):
        data = PromoCodeIn(data=request.data)
        data.is_valid(raise_exception=True)
        promo = promo_code_create(business=self.business, actor=request.user, **data.validated_data)
        return Response(PromoCodeOut(promo).data, status=status.HTTP_201_CREATED)


class PromoCodeActiveApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=PromoActiveIn, responses=PromoCodeOut, summary="Pause or resume a promo code"
    )
    def post(self, request, business_id: int, promo_id: int):
        data = PromoActiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        promo = promo_code_set_active(
            business=self.business,
            promo_id=promo_id,
            is_active=data.validated_data["is_active"],
            actor=request.user,
        )
        return Response(PromoCodeOut(promo).data)
