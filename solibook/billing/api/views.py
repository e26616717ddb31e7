"""Billing API: the salon's plan and invoices, a plan change, paying an invoice by card;
the operator marks a bank transfer paid. The same services as the pages."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.billing import selectors, services
from solibook.billing.api.serializers import (
    BillingInvoiceOut,
    BillingMarkPaidIn,
    BillingOut,
    BillingPayIn,
    BillingPayOut,
    BillingPlanIn,
)


def _billing(business) -> dict:
    subscription = selectors.subscription_of(business)
    plan = selectors.plan_of(business)
    invoices = selectors.invoices_of(business)
    for invoice in invoices:
        invoice.amount_due = selectors.amount_due(invoice)
    return {
        "plan": {
            "code": plan.code,
            "name": plan.name,
            "price": plan.price_in(business.currency),
            "max_masters": plan.max_masters,
            "max_locations": plan.max_locations,
            "sms_credits_month": plan.sms_credits_month,
            "commission_rate_bp": plan.commission_rate_bp,
            "features": plan.features,
        },
        "status": subscription.status if subscription else "",
        "trial_ends_at": subscription.trial_ends_at if subscription else None,
        "currency": business.currency,
        **services.usage_of(business),
        "sms": selectors.sms_usage(business),
        "invoices": invoices,
    }


class BillingApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses=BillingOut, summary="The salon's plan, usage and invoices", tags=["billing"]
    )
    def get(self, request, business_id: int):
        return Response(BillingOut(_billing(self.business)).data)


class BillingPlanApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=BillingPlanIn,
        responses=BillingOut,
        summary="Change plan (prorated; refused below current usage)",
        tags=["billing"],
    )
    def post(self, request, business_id: int):
        data = BillingPlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.subscription_change(
            business=self.business, plan_code=data.validated_data["plan"], actor=request.user
        )
        return Response(BillingOut(_billing(self.business)).data)


class BillingInvoicePayApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=BillingPayIn,
        responses=BillingPayOut,
        summary="Start paying an invoice by card",
        tags=["billing"],
    )
    def post(self, request, business_id: int, invoice_id: int):
        data = BillingPayIn(data=request.data)
        data.is_valid(raise_exception=True)
        url = services.invoice_pay_start(
            business=self.business,
            invoice_id=invoice_id,
            success_url=data.validated_data["success_url"],
            cancel_url=data.validated_data["cancel_url"],
            language=get_language() or "en",
            actor=request.user,
        )
        return Response(BillingPayOut({"url": url}).data)


class PlatformInvoiceMarkPaidApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=BillingMarkPaidIn,
        responses=BillingInvoiceOut,
        summary="Mark an invoice paid by bank transfer (platform staff)",
        tags=["platform"],
    )
    def post(self, request, invoice_id: int):
        data = BillingMarkPaidIn(data=request.data)
        data.is_valid(raise_exception=True)
        invoice = services.invoice_mark_paid(
            invoice_id=invoice_id,
            actor=request.user,
            reference=data.validated_data.get("reference", ""),
        )
        invoice.amount_due = 0
        return Response(BillingInvoiceOut(invoice).data)
