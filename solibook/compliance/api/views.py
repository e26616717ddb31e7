"""Compliance API: ZATCA invoices (QR, UBL XML), 54-FZ settings and receipts,
accounting packages' CSV, payout reconciliation.

Thin views over `compliance.services`, `packages` and `reconcile` (the pages
call the same). Reading needs `view_finance`, writing `manage_accounting`.
Objects are looked up through scoped managers, so another business's ids are 404.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.compliance import packages, reconcile, selectors, services, tasks
from solibook.compliance.api.serializers import (
    ComplianceAccountCodeOut,
    ComplianceAccountCodesIn,
    ComplianceFiscalReceiptOut,
    ComplianceFiscalSettingsIn,
    ComplianceFiscalSettingsOut,
    CompliancePeriodQuery,
    ComplianceReconciliationOut,
    ComplianceZatcaInvoiceOut,
    ComplianceZatcaStatusOut,
)
from solibook.compliance.models import FiscalReceipt, ZatcaInvoice

TAGS = ["compliance"]
WRITE = dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), Capability.MANAGE_ACCOUNTING)
PERIOD = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First local day."),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, required=True, description="Last local day (inclusive)."
    ),
]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class ComplianceApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE
    capability_by_method = WRITE


def _invoice(checkout_id: int) -> ZatcaInvoice:
    invoice = (
        ZatcaInvoice.objects.filter(checkout_id=checkout_id, refund__isnull=True)
        .select_related("checkout")
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def _xml(invoice: ZatcaInvoice) -> HttpResponse:
    response = HttpResponse(invoice.xml.encode("utf-8"), content_type="application/xml")
    name = "credit-note" if invoice.refund_id else "invoice"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{invoice.checkout.number}-{invoice.icv}.xml"'
    )
    return response


@extend_schema(tags=TAGS)
class ZatcaStatusApi(ComplianceApi):
    @extend_schema(responses=ComplianceZatcaStatusOut, summary="ZATCA: VAT number and chain head")
    def get(self, request, business_id: int):
        return Response(
            ComplianceZatcaStatusOut(selectors.zatca_status(business=self.business)).data
        )


@extend_schema(tags=TAGS)
class ZatcaInvoiceListApi(ComplianceApi):
    pagination_class = Pagination

    @extend_schema(
        responses=ComplianceZatcaInvoiceOut(many=True),
        summary="ZATCA simplified tax invoices and credit notes, newest first",
    )
    def get(self, request, business_id: int):
        return paginated(
            self, selectors.zatca_invoices(business=self.business), ComplianceZatcaInvoiceOut
        )


@extend_schema(tags=TAGS)
class ZatcaInvoiceDetailApi(ComplianceApi):
    @extend_schema(responses=ComplianceZatcaInvoiceOut, summary="The ZATCA invoice of one checkout")
    def get(self, request, business_id: int, checkout_id: int):
        return Response(ComplianceZatcaInvoiceOut(_invoice(checkout_id)).data)


@extend_schema(tags=TAGS)
class ZatcaInvoiceXmlApi(ComplianceApi):
    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="UBL 2.1 simplified tax invoice."
            )
        },
        summary="The UBL 2.1 XML of one checkout's invoice",
    )
    def get(self, request, business_id: int, checkout_id: int):
        return _xml(_invoice(checkout_id))


@extend_schema(tags=TAGS)
class ZatcaCreditNoteXmlApi(ComplianceApi):
    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="UBL 2.1 credit note (381) of a refund."
            )
        },
        summary="The UBL 2.1 XML of one refund's credit note",
    )
    def get(self, request, business_id: int, refund_id: int):
        invoice = (
            ZatcaInvoice.objects.filter(refund_id=refund_id).select_related("checkout").first()
        )
        if invoice is None:
            raise Http404
        return _xml(invoice)


@extend_schema(tags=TAGS)
class FiscalSettingsApi(ComplianceApi):
    @extend_schema(
        responses=ComplianceFiscalSettingsOut, summary="54-FZ operator account (no password)"
    )
    def get(self, request, business_id: int):
        return Response(
            ComplianceFiscalSettingsOut(services.fiscal_settings_for(self.business)).data
        )

    @extend_schema(
        request=ComplianceFiscalSettingsIn,
        responses=ComplianceFiscalSettingsOut,
        summary="Save the 54-FZ operator account (ATOL Online)",
    )
    def put(self, request, business_id: int):
        data = body(ComplianceFiscalSettingsIn, request)
        row = services.fiscal_settings_update(business=self.business, actor=request.user, **data)
        return Response(ComplianceFiscalSettingsOut(row).data)


@extend_schema(tags=TAGS)
class FiscalReceiptListApi(ComplianceApi):
    pagination_class = Pagination

    @extend_schema(
        responses=ComplianceFiscalReceiptOut(many=True), summary="54-FZ receipts, newest first"
    )
    def get(self, request, business_id: int):
        return paginated(
            self, selectors.fiscal_receipts(business=self.business), ComplianceFiscalReceiptOut
        )


@extend_schema(tags=TAGS)
class FiscalReceiptRetryApi(ComplianceApi):
    @extend_schema(
        request=None,
        responses=ComplianceFiscalReceiptOut,
        parameters=[IDEMPOTENCY],
        summary="Send a failed 54-FZ receipt again",
    )
    def post(self, request, business_id: int, receipt_id: int):
        def handler():
            receipt = services.fiscal_retry(
                business=self.business, receipt_id=receipt_id, actor=request.user
            )
            tasks.schedule(business_id=self.business.pk, receipt_id=receipt.pk)
            return Response(
                ComplianceFiscalReceiptOut(FiscalReceipt.objects.get(pk=receipt.pk)).data
            )

        return run_idempotent(request, operation="compliance.fiscal_retry", handler=handler)


@extend_schema(tags=TAGS)
class PackageExportApi(ComplianceApi):
    @extend_schema(
        parameters=PERIOD,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The package's journal import."
            )
        },
        summary="The ledger as an accounting package's journal import (xero, quickbooks, sage50)",
    )
    def get(self, request, business_id: int, package: str):
        if package not in packages.PACKAGES:
            raise Http404
        q = query_params(CompliancePeriodQuery, request)
        export = packages.package_export(
            business=self.business,
            package=package,
            start=q["start"],
            end=q["end"],
            codes=selectors.codes_map(business=self.business, package=package),
        )
        response = HttpResponse(export.body.encode("utf-8"), content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


@extend_schema(tags=TAGS)
class AccountCodesApi(ComplianceApi):
    @extend_schema(
        responses=ComplianceAccountCodeOut(many=True),
        summary="The package's account for each ledger account",
    )
    def get(self, request, business_id: int, package: str):
        if package not in packages.PACKAGES:
            raise Http404
        return Response(
            ComplianceAccountCodeOut(
                selectors.account_codes(business=self.business, package=package), many=True
            ).data
        )

    @extend_schema(
        request=ComplianceAccountCodesIn,
        responses=ComplianceAccountCodeOut(many=True),
        summary="Set the salon's own accounts in a package",
    )
    def put(self, request, business_id: int, package: str):
        if package not in packages.PACKAGES:
            raise Http404
        data = body(ComplianceAccountCodesIn, request)
        services.account_codes_update(
            business=self.business, package=package, codes=data["codes"], actor=request.user
        )
        return Response(
            ComplianceAccountCodeOut(
                selectors.account_codes(business=self.business, package=package), many=True
            ).data
        )


@extend_schema(tags=TAGS)
class ReconciliationApi(ComplianceApi):
    @extend_schema(
        parameters=PERIOD,
        responses=ComplianceReconciliationOut,
        summary="Stripe payouts matched to the ledger",
    )
    def get(self, request, business_id: int):
        q = query_params(CompliancePeriodQuery, request)
        result = reconcile.reconcile(business=self.business, start=q["start"], end=q["end"])
        return Response(
            ComplianceReconciliationOut(
                {
                    "start": result.start,
                    "end": result.end,
                    "currency": result.currency,
                    "counts": result.counts,
                    "payouts": result.payouts,
                    "lines": result.lines,
                }
            ).data
        )
