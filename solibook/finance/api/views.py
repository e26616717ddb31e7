"""Finance API: checkout, payments, refunds, deposits, gift cards, packages,
memberships, ledger reads, and the Stripe webhook.

Thin: validate shape, call `finance.services` (the same functions the pages
call), serialise. Writes run inside `run_idempotent` (honours
`Idempotency-Key`). Provider calls (capture, refund, deposit) happen in the
services outside database transactions, so those views call the service
directly rather than inside `run_idempotent`'s transaction; their own
idempotency keys go to the provider.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scopes_disabled
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.pagination import Pagination
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking.models import Appointment
from solibook.core.ids import is_db_id
from solibook.core.tenancy import business_scope
from solibook.finance import ledger, services
from solibook.finance.api import serializers as s
from solibook.finance.models import (
    Checkout,
    ClientMembership,
    ClientPackage,
    GiftCard,
    LineRefund,
    MembershipPlan,
    PackagePlan,
    Payment,
    Product,
    Refund,
)
from solibook.finance.receipts import receipt_pdf
from solibook.finance.services import giftcards
from solibook.finance.services.giftcards import issued_codes

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class ReadableMixin(BusinessScopedMixin):
    """GET for the front desk (take_payments) or the accountant (view_finance);
    writes need `capability_by_method` / `write_capability`."""

    write_capability = Capability.TAKE_PAYMENTS

    def required_capability(self, method: str) -> Capability:
        if method in ("GET", "HEAD", "OPTIONS"):
            return Capability.VIEW_BACK_OFFICE
        return self.capability_by_method.get(method, self.write_capability)

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD", "OPTIONS") and not (
            self.access.can(Capability.TAKE_PAYMENTS) or self.access.can(Capability.VIEW_FINANCE)
        ):
            raise PermissionDenied


def _page(view, request, query, serializer):
    paginator = Pagination()
    page = paginator.paginate_queryset(query, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _checkout_query():
    return Checkout.objects.prefetch_related("lines", "payments").order_by("-created_at", "-id")


class FinanceSettingsApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE
    capability_by_method = {"PATCH": Capability.MANAGE_PAYMENTS}

    @extend_schema(responses=s.SettingsOut, summary="Money settings (tax, payment provider)")
    def get(self, request, business_id: int):
        return Response(s.SettingsOut(services.finance_settings(self.business)).data)

    @extend_schema(
        request=s.SettingsSerializer, responses=s.SettingsOut, summary="Change money settings"
    )
    def patch(self, request, business_id: int):
        data = s.SettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)

        def handler():
            from solibook.finance.services.settings import settings_update

            return Response(
                s.SettingsOut(
                    settings_update(
                        business=self.business, actor=request.user, **data.validated_data
                    )
                ).data
            )

        return run_idempotent(request, operation=f"finance.settings:{business_id}", handler=handler)


class CheckoutQuoteApi(BusinessScopedMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        request=s.QuoteIn,
        responses=s.QuoteOut,
        summary="Price a checkout (no writes): show `total` to the client",
    )
    def post(self, request, business_id: int):
        data = s.QuoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        quote = services.checkout_quote(business=self.business, **data.arguments())
        return Response(quote.as_dict())


class CheckoutListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(responses=s.CheckoutOut(many=True), summary="Checkouts, newest first")
    def get(self, request, business_id: int):
        return _page(self, request, _checkout_query(), s.CheckoutOut)

    @extend_schema(
        request=s.CheckoutIn,
        responses={201: s.CheckoutOut},
        parameters=[IDEMPOTENCY],
        summary="Check out a visit or a sale (one transaction with its ledger lines)",
    )
    def post(self, request, business_id: int):
        data = s.CheckoutIn(data=request.data)
        data.is_valid(raise_exception=True)

        def handler():
            checkout = services.checkout_complete(
                business=self.business, actor=request.user, **data.arguments()
            )
            body = s.CheckoutOut(_checkout_query().get(pk=checkout.pk)).data
            # Gift cards sold: their full codes, in this answer only.
            body["gift_cards_issued"] = [
                {"id": card_id, "code": code} for card_id, code in issued_codes(checkout)
            ]
            return Response(body, status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation=f"finance.checkout:{business_id}", handler=handler)


class CheckoutDetailApi(ReadableMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(responses=s.CheckoutOut, summary="One checkout")
    def get(self, request, business_id: int, checkout_id: int):
        checkout = _checkout_query().filter(pk=checkout_id).first()
        if checkout is None:
            raise Http404
        return Response(s.CheckoutOut(checkout).data)


class CheckoutReceiptApi(ReadableMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="The receipt as PDF, in the client's language",
    )
    def get(self, request, business_id: int, checkout_id: int):
        checkout = (
            Checkout.objects.select_related("location", "business").filter(pk=checkout_id).first()
        )
        if checkout is None:
            raise Http404
        response = HttpResponse(receipt_pdf(checkout), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="receipt-{checkout.number}.pdf"'
        return response


class PaymentListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        parameters=[OpenApiParameter("appointment_id", int), OpenApiParameter("checkout_id", int)],
        responses=s.PaymentOut(many=True),
        summary="Payments",
    )
    def get(self, request, business_id: int):
        query = Payment.objects.order_by("-created_at", "-id")
        for name in ("appointment_id", "checkout_id"):
            value = request.query_params.get(name, "")
            if value:
                if not is_db_id(value):
                    raise Http404
                query = query.filter(**{name: int(value)})
        return _page(self, request, query, s.PaymentOut)


class PaymentActionApi(BusinessScopedMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    def _payment(self, payment_id: int) -> Payment:
        payment = Payment.objects.filter(pk=payment_id).first()
        if payment is None:
            raise Http404
        return payment


class PaymentCaptureApi(PaymentActionApi):
    @extend_schema(
        request=s.CaptureIn,
        responses=s.PaymentOut,
        summary="Capture an authorised online payment (a deposit) before using it at checkout",
    )
    def post(self, request, business_id: int, payment_id: int):
        data = s.CaptureIn(data=request.data)
        data.is_valid(raise_exception=True)
        payment = self._payment(payment_id)
        return Response(
            s.PaymentOut(
                services.payment_capture(
                    business=self.business,
                    payment_id=payment.pk,
                    amount=data.validated_data["amount"],
                )
            ).data
        )


class PaymentReleaseApi(PaymentActionApi):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=None,
        responses=s.PaymentOut,
        summary="Release an authorisation (nothing is charged)",
    )
    def post(self, request, business_id: int, payment_id: int):
        payment = self._payment(payment_id)
        return Response(
            s.PaymentOut(
                services.payment_release(business=self.business, payment_id=payment.pk)
            ).data
        )


class PaymentSyncApi(PaymentActionApi):
    @extend_schema(
        request=None, responses=s.PaymentOut, summary="Ask the provider where a payment stands"
    )
    def post(self, request, business_id: int, payment_id: int):
        payment = self._payment(payment_id)
        return Response(
            s.PaymentOut(services.payment_sync(business=self.business, payment_id=payment.pk)).data
        )


class PaymentRefundApi(PaymentActionApi):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=s.RefundIn,
        responses={201: s.RefundOut},
        summary="Refund a deposit or fee in full or in part (never more than was paid)",
        description=(
            "For a payment taken outside a sale. A sale's payments are refunded by line "
            "(`checkouts/{id}/line-refunds/`): this answers 400 `refund_by_line` for them."
        ),
    )
    def post(self, request, business_id: int, payment_id: int):
        data = s.RefundIn(data=request.data)
        data.is_valid(raise_exception=True)
        payment = self._payment(payment_id)
        refund = services.payment_refund(
            business=self.business, payment_id=payment.pk, actor=request.user, **data.validated_data
        )
        return Response(s.RefundOut(refund).data, status=status.HTTP_201_CREATED)


class CheckoutLineRefundApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=s.LineRefundIn,
        responses={201: s.LineRefundOut},
        parameters=[IDEMPOTENCY],
        summary="Refund chosen lines (units) and tips of a checkout, tenders in a stated order",
        description=(
            "Each line gives back its own net and VAT, never a share of other lines or tips; "
            "a tip only when listed. The money goes back over the checkout's tenders in the order "
            "gift card, other stored value, client credit, card, cash."
        ),
    )
    def post(self, request, business_id: int, checkout_id: int):
        data = s.LineRefundIn(data=request.data)
        data.is_valid(raise_exception=True)
        checkout = Checkout.objects.filter(pk=checkout_id).first()
        if checkout is None:
            raise Http404
        d = data.validated_data

        def handler():
            made = services.refund_by_lines(
                business=self.business,
                checkout_id=checkout.pk,
                lines=[services.RefundLineIn(li["line_id"], li["quantity"]) for li in d["lines"]],
                tip_ids=d["tip_ids"],
                reason=d["reason"],
                note=d["note"],
                actor=request.user,
            )
            made = LineRefund.objects.prefetch_related("items", "refunds__payment").get(pk=made.pk)
            return Response(s.LineRefundOut(made).data, status=status.HTTP_201_CREATED)

        return run_idempotent(
            request, operation=f"finance.line_refund:{business_id}:{checkout.pk}", handler=handler
        )


class RefundListApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination
    capability = Capability.VIEW_FINANCE

    @extend_schema(responses=s.RefundOut(many=True), summary="Refunds")
    def get(self, request, business_id: int):
        return _page(self, request, Refund.objects.order_by("-created_at", "-id"), s.RefundOut)


class DeskDepositApi(BusinessScopedMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        request=s.DeskDepositIn,
        responses={201: s.PaymentOut},
        parameters=[IDEMPOTENCY],
        summary="Record a deposit paid at the desk: confirms the held visit",
    )
    def post(self, request, business_id: int, appointment_id: int):
        data = s.DeskDepositIn(data=request.data)
        data.is_valid(raise_exception=True)

        def handler():
            payment = services.deposit_record_at_desk(
                business=self.business,
                appointment_id=appointment_id,
                tender=data.validated_data["tender"],
                actor=request.user,
            )
            return Response(s.PaymentOut(payment).data, status=status.HTTP_201_CREATED)

        return run_idempotent(
            request, operation=f"finance.desk_deposit:{appointment_id}", handler=handler
        )


class SettleApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=None,
        responses=s.PaymentOut(many=True),
        summary="Apply the accepted policy to a cancelled / no-show visit (release deposit or charge the fee)",
    )
    def post(self, request, business_id: int, appointment_id: int):
        return Response(
            s.PaymentOut(
                services.appointment_settle(business=self.business, appointment_id=appointment_id),
                many=True,
            ).data
        )


class ProductListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS
    capability_by_method = {"POST": Capability.MANAGE_PAYMENTS}

    @extend_schema(responses=s.ProductOut(many=True), summary="Retail products")
    def get(self, request, business_id: int):
        return _page(self, request, Product.objects.order_by("name", "id"), s.ProductOut)

    @extend_schema(
        request=s.ProductIn,
        responses={201: s.ProductOut},
        parameters=[IDEMPOTENCY],
        summary="Add a retail product",
    )
    def post(self, request, business_id: int):
        data = s.ProductIn(data=request.data)
        data.is_valid(raise_exception=True)
        return run_idempotent(
            request,
            operation=f"finance.product:{business_id}",
            handler=lambda: Response(
                s.ProductOut(
                    services.product_create(
                        business=self.business, actor=request.user, **data.validated_data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


class PackagePlanListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS
    capability_by_method = {"POST": Capability.MANAGE_PAYMENTS}

    @extend_schema(responses=s.PackagePlanOut(many=True), summary="Packages of N visits on sale")
    def get(self, request, business_id: int):
        return _page(
            self,
            request,
            PackagePlan.objects.filter(is_active=True).order_by("name", "id"),
            s.PackagePlanOut,
        )

    @extend_schema(
        request=s.PackagePlanIn,
        responses={201: s.PackagePlanOut},
        parameters=[IDEMPOTENCY],
        summary="Create a package plan",
    )
    def post(self, request, business_id: int):
        data = s.PackagePlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        return run_idempotent(
            request,
            operation=f"finance.package_plan:{business_id}",
            handler=lambda: Response(
                s.PackagePlanOut(
                    services.package_plan_create(
                        business=self.business, actor=request.user, **data.validated_data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


class ClientPackageListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        parameters=[OpenApiParameter("account_id", int)],
        responses=s.ClientPackageOut(many=True),
        summary="Packages clients hold",
    )
    def get(self, request, business_id: int):
        query = ClientPackage.objects.order_by("-created_at", "-id")
        account_id = request.query_params.get("account_id", "")
        if is_db_id(account_id):
            query = query.filter(account_id=int(account_id))
        return _page(self, request, query, s.ClientPackageOut)


class MembershipPlanListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS
    capability_by_method = {"POST": Capability.MANAGE_PAYMENTS}

    @extend_schema(responses=s.MembershipPlanOut(many=True), summary="Membership plans")
    def get(self, request, business_id: int):
        return _page(
            self,
            request,
            MembershipPlan.objects.filter(is_active=True).order_by("name", "id"),
            s.MembershipPlanOut,
        )

    @extend_schema(
        request=s.MembershipPlanIn,
        responses={201: s.MembershipPlanOut},
        parameters=[IDEMPOTENCY],
        summary="Create a membership plan",
    )
    def post(self, request, business_id: int):
        data = s.MembershipPlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        return run_idempotent(
            request,
            operation=f"finance.membership_plan:{business_id}",
            handler=lambda: Response(
                s.MembershipPlanOut(
                    services.membership_plan_create(
                        business=self.business, actor=request.user, **data.validated_data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


class MembershipListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(responses=s.MembershipOut(many=True), summary="Client memberships")
    def get(self, request, business_id: int):
        return _page(
            self, request, ClientMembership.objects.order_by("-created_at", "-id"), s.MembershipOut
        )

    @extend_schema(
        request=s.MembershipIn,
        responses={201: s.MembershipOut},
        summary="Start a membership and take the first month",
    )
    def post(self, request, business_id: int):
        data = s.MembershipIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_start(
            business=self.business, actor=request.user, **data.validated_data
        )
        return Response(s.MembershipOut(membership).data, status=status.HTTP_201_CREATED)


class MembershipCancelApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=None, responses=s.MembershipOut, summary="Cancel a membership (no further renewals)"
    )
    def post(self, request, business_id: int, membership_id: int):
        return Response(
            s.MembershipOut(
                services.membership_cancel(
                    business=self.business, membership_id=membership_id, actor=request.user
                )
            ).data
        )


class GiftCardListApi(ReadableMixin, APIView):
    pagination_class = Pagination
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        responses=s.GiftCardOut(many=True),
        summary="Gift cards sold (sell one with a gift_card checkout line)",
    )
    def get(self, request, business_id: int):
        return _page(self, request, GiftCard.objects.order_by("-created_at", "-id"), s.GiftCardOut)


class GiftCardLookupApi(BusinessScopedMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        request=s.GiftCardLookupIn,
        responses=s.GiftCardOut,
        summary="A gift card's balance by its code",
    )
    def post(self, request, business_id: int):
        data = s.GiftCardLookupIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            s.GiftCardOut(
                services.gift_card_lookup(business=self.business, code=data.validated_data["code"])
            ).data
        )


class GiftCardReissueApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_PAYMENTS

    @extend_schema(
        request=None,
        responses={201: s.GiftCardIssuedOut},
        parameters=[IDEMPOTENCY],
        summary="A lost code: void the card and move its balance to a new code (shown once)",
    )
    def post(self, request, business_id: int, gift_card_id: int):
        def handler():
            card = giftcards.gift_card_reissue(
                business=self.business, card_id=gift_card_id, actor=request.user
            )
            return Response(s.GiftCardIssuedOut(card).data, status=status.HTTP_201_CREATED)

        return run_idempotent(
            request,
            operation=f"finance.gift_card_reissue:{business_id}:{gift_card_id}",
            handler=handler,
        )


class GiftCardSendApi(BusinessScopedMixin, APIView):
    capability = Capability.TAKE_PAYMENTS

    @extend_schema(
        request=s.GiftCardSendIn,
        responses=s.GiftCardOut,
        summary="Send a card to its recipient by e-mail (with the PDF) or SMS; needs its full code",
    )
    def post(self, request, business_id: int, gift_card_id: int):
        data = s.GiftCardSendIn(data=request.data)
        data.is_valid(raise_exception=True)
        card = giftcards.gift_card_send(
            business=self.business, card_id=gift_card_id, actor=request.user, **data.validated_data
        )
        return Response(s.GiftCardOut(card).data)


class LedgerBalancesApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE

    @extend_schema(
        parameters=[
            OpenApiParameter("currency", str),
            OpenApiParameter("location_id", int),
            OpenApiParameter("since", str),
            OpenApiParameter("until", str),
        ],
        responses=s.BalanceOut(many=True),
        summary="Account balances from the ledger",
    )
    def get(self, request, business_id: int):
        query = s.BalanceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        rows = ledger.balances(
            business=self.business,
            currency=q.get("currency"),
            location=q.get("location_id"),
            since=q.get("since"),
            until=q.get("until"),
            by=("account", "currency"),
        )
        return Response(
            [{"account": a, "currency": c, "balance": v} for (a, c), v in sorted(rows.items())]
        )


class LedgerTransactionListApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination
    capability = Capability.VIEW_FINANCE

    @extend_schema(
        parameters=[OpenApiParameter("since", str), OpenApiParameter("until", str)],
        responses=s.LedgerTransactionOut(many=True),
        summary="Ledger transactions, newest first",
    )
    def get(self, request, business_id: int):
        query = s.BalanceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        with scopes_disabled():
            rows = ledger.transactions(
                business=self.business, since=q.get("since"), until=q.get("until")
            ).order_by("-occurred_at", "-id")
            return _page(self, request, rows, s.LedgerTransactionOut)


# --- the client ----------------------------------------------------------------


class ClientDepositApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=s.ClientDepositOut,
        summary="Pay the deposit of my held booking: returns the card form's client secret",
    )
    def post(self, request, appointment_id: int):
        with scopes_disabled():
            appointment = (
                Appointment.objects.select_related("business")
                .filter(pk=appointment_id, account=request.user)
                .first()
            )
        if appointment is None:
            raise Http404
        with business_scope(appointment.business):
            payment = services.deposit_start(
                business=appointment.business, appointment_id=appointment.pk, account=request.user
            )
            account = services.finance_settings(appointment.business).stripe_account_id
        return Response(
            {
                "payment_id": payment.pk,
                "amount": payment.amount,
                "currency": payment.currency,
                "state": payment.state,
                "client_secret": payment.client_secret,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "stripe_account": account,
            }
        )


# --- the provider ------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookApi(APIView):
    """Stripe calls this; the signature (Stripe-Signature header, endpoint
    signing secret) is the authentication. Each event id is handled once."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: s.WebhookOut, 400: OpenApiResponse(description="Bad signature or body")},
        summary="Stripe webhook (signed)",
    )
    def post(self, request):
        result = services.webhook_receive(
            provider_code="stripe",
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
        return Response({"result": result})
