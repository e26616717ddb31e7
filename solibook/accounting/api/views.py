"""Accounting API: expenses (with receipts), categories, suppliers, budget,
P&L and cash-flow reports, CSV / FEC exports, commission rules, pay statements.

Thin views over `accounting.services` (writes, inside `run_idempotent`) and
`accounting.reports` (reads from the ledger). Reading needs `view_finance`,
writing `manage_accounting`. Objects are looked up through scoped managers, so
another business's ids are 404.
"""

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounting import exports, reports, services, staff
from solibook.accounting.api.serializers import (
    BudgetLineIn,
    BudgetLineOut,
    BudgetRowOut,
    CashFlowOut,
    CommissionRuleIn,
    CommissionRuleOut,
    ExpenseCategoryIn,
    ExpenseCategoryOut,
    ExpenseCategoryPatchIn,
    ExpenseIn,
    ExpenseOut,
    ExpenseQuery,
    PayIn,
    PayPeriodIn,
    PayPreviewOut,
    PayStatementOut,
    PeriodQuery,
    ProfitAndLossOut,
    RuleEndIn,
    SupplierIn,
    SupplierOut,
    SupplierPatchIn,
    VoidIn,
)
from solibook.accounting.models import (
    BudgetLine,
    CommissionRule,
    Expense,
    ExpenseCategory,
    PayStatement,
    Supplier,
)
from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.parsers import JSONParser
from solibook.api.scoping import BusinessScopedMixin

_WRITES = ("POST", "PUT", "PATCH", "DELETE")
WRITE = dict.fromkeys(_WRITES, Capability.MANAGE_ACCOUNTING)
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)
PERIOD = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First local day."),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, required=True, description="Last local day (inclusive)."
    ),
    OpenApiParameter("location_id", int, description="One location; all of them when absent."),
]
TAGS = ["accounting"]


class AccountingApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE
    capability_by_method = WRITE


def _get(queryset, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# ---------------------------------------------------------------- categories and suppliers


@extend_schema(tags=TAGS)
class ExpenseCategoryListApi(AccountingApi):
    """Expense categories; the usual ones are created on first use. `code` names the ledger account `expenses:<code>`."""

    pagination_class = Pagination

    @extend_schema(responses=ExpenseCategoryOut(many=True), summary="Expense categories")
    def get(self, request, business_id: int):
        services.categories_ensure_defaults(business=self.business)
        return paginated(self, ExpenseCategory.objects.order_by("name", "id"), ExpenseCategoryOut)

    @extend_schema(
        request=ExpenseCategoryIn,
        responses={201: ExpenseCategoryOut},
        parameters=[IDEMPOTENCY],
        summary="Add an expense category",
    )
    def post(self, request, business_id: int):
        data = body(ExpenseCategoryIn, request)
        return run_idempotent(
            request,
            operation="accounting.category_create",
            handler=lambda: Response(
                ExpenseCategoryOut(
                    services.category_create(actor=request.user, business=self.business, **data)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class ExpenseCategoryDetailApi(AccountingApi):
    @extend_schema(responses=ExpenseCategoryOut, summary="One expense category")
    def get(self, request, business_id: int, category_id: int):
        return Response(ExpenseCategoryOut(_get(ExpenseCategory.objects, category_id)).data)

    @extend_schema(
        request=ExpenseCategoryPatchIn,
        responses=ExpenseCategoryOut,
        summary="Rename, renumber or deactivate a category (its code stays)",
    )
    def patch(self, request, business_id: int, category_id: int):
        _get(ExpenseCategory.objects, category_id)
        data = body(ExpenseCategoryPatchIn, request)
        return Response(
            ExpenseCategoryOut(
                services.category_update(
                    actor=request.user, business=self.business, category_id=category_id, **data
                )
            ).data
        )


@extend_schema(tags=TAGS)
class SupplierListApi(AccountingApi):
    pagination_class = Pagination

    @extend_schema(responses=SupplierOut(many=True), summary="Suppliers")
    def get(self, request, business_id: int):
        return paginated(self, Supplier.objects.order_by("name", "id"), SupplierOut)

    @extend_schema(
        request=SupplierIn,
        responses={201: SupplierOut},
        parameters=[IDEMPOTENCY],
        summary="Add a supplier",
    )
    def post(self, request, business_id: int):
        data = body(SupplierIn, request)
        return run_idempotent(
            request,
            operation="accounting.supplier_create",
            handler=lambda: Response(
                SupplierOut(
                    services.supplier_create(actor=request.user, business=self.business, **data)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class SupplierDetailApi(AccountingApi):
    @extend_schema(responses=SupplierOut, summary="One supplier")
    def get(self, request, business_id: int, supplier_id: int):
        return Response(SupplierOut(_get(Supplier.objects, supplier_id)).data)

    @extend_schema(request=SupplierPatchIn, responses=SupplierOut, summary="Change a supplier")
    def patch(self, request, business_id: int, supplier_id: int):
        _get(Supplier.objects, supplier_id)
        data = body(SupplierPatchIn, request)
        return Response(
            SupplierOut(
                services.supplier_update(
                    actor=request.user, business=self.business, supplier_id=supplier_id, **data
                )
            ).data
        )


# ---------------------------------------------------------------- expenses


def _expenses():
    return Expense.objects.select_related("category").order_by("-incurred_on", "-id")


@extend_schema(tags=TAGS)
class ExpenseListApi(AccountingApi):
    """Expenses. Recording one posts it to the ledger (debit `expenses:<category>`, credit the account it was paid from) in the same transaction."""

    pagination_class = Pagination

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[ExpenseQuery], responses=ExpenseOut(many=True), summary="Expenses, newest first"
    )
    def get(self, request, business_id: int):
        query = query_params(ExpenseQuery, request)
        rows = _expenses()
        if "start" in query:
            rows = rows.filter(incurred_on__gte=query["start"])
        if "end" in query:
            rows = rows.filter(incurred_on__lte=query["end"])
        for name in ("location_id", "category_id", "status"):
            if name in query:
                rows = rows.filter(**{name: query[name]})
        return paginated(self, rows, ExpenseOut)

    @extend_schema(
        request={"application/json": ExpenseIn, "multipart/form-data": ExpenseIn},
        responses={201: ExpenseOut},
        parameters=[IDEMPOTENCY],
        summary="Record an expense (JSON, or multipart with a receipt file)",
    )
    def post(self, request, business_id: int):
        data = body(ExpenseIn, request)

        def handler():
            expense = services.expense_create(actor=request.user, business=self.business, **data)
            return Response(
                ExpenseOut(_expenses().get(pk=expense.pk)).data, status=status.HTTP_201_CREATED
            )

        # A file is not part of the idempotency fingerprint: its name and size stand for it.
        return run_idempotent(request, operation="accounting.expense_create", handler=handler)


@extend_schema(tags=TAGS)
class ExpenseDetailApi(AccountingApi):
    @extend_schema(responses=ExpenseOut, summary="One expense")
    def get(self, request, business_id: int, expense_id: int):
        return Response(ExpenseOut(_get(_expenses(), expense_id)).data)


@extend_schema(tags=TAGS)
class ExpenseVoidApi(AccountingApi):
    @extend_schema(
        request=VoidIn,
        responses=ExpenseOut,
        parameters=[IDEMPOTENCY],
        summary="Void an expense (the ledger posts its reversal)",
    )
    def post(self, request, business_id: int, expense_id: int):
        _get(Expense.objects, expense_id)
        data = body(VoidIn, request)

        def handler():
            services.expense_void(
                actor=request.user,
                business=self.business,
                expense_id=expense_id,
                reason=data["reason"],
            )
            return Response(ExpenseOut(_expenses().get(pk=expense_id)).data)

        return run_idempotent(request, operation="accounting.expense_void", handler=handler)


@extend_schema(tags=TAGS)
class ExpenseReceiptApi(AccountingApi):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The receipt file (PDF or image)."
            ),
            404: None,
        },
        summary="The expense's receipt file",
    )
    def get(self, request, business_id: int, expense_id: int):
        expense = _get(Expense.objects, expense_id)
        if not expense.receipt:
            raise Http404
        try:
            handle = expense.receipt.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            filename=f"receipt-{expense.pk}{expense.receipt.name[expense.receipt.name.rfind('.') :]}",
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# ---------------------------------------------------------------- reports


@extend_schema(tags=TAGS)
class ProfitAndLossApi(AccountingApi):
    """Revenue and expenses per ledger account and local month; every figure is a sum of ledger entries."""

    @extend_schema(
        parameters=PERIOD, responses=ProfitAndLossOut, summary="Profit and loss for a period"
    )
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        report = reports.profit_and_loss(
            business=self.business, start=q["start"], end=q["end"], location_id=q.get("location_id")
        )
        return Response(
            {
                "currency": report.currency,
                "start": report.start,
                "end": report.end,
                "months": [m.strftime("%Y-%m") for m in report.months],
                "revenue": [vars(r) for r in report.revenue],
                "expenses": [vars(r) for r in report.expenses],
                "revenue_total": report.revenue_total,
                "expenses_total": report.expenses_total,
                "net": report.net,
            }
        )


@extend_schema(tags=TAGS)
class CashFlowApi(AccountingApi):
    """Money in and out of cash, card, online and bank per local month."""

    @extend_schema(parameters=PERIOD, responses=CashFlowOut, summary="Cash flow for a period")
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        flow = reports.cash_flow(
            business=self.business, start=q["start"], end=q["end"], location_id=q.get("location_id")
        )
        return Response(
            {
                "currency": flow.currency,
                "months": [m.strftime("%Y-%m") for m in flow.months],
                "opening": flow.opening,
                "closing": flow.closing,
                "inflow": flow.inflow,
                "outflow": flow.outflow,
                "by_account": [vars(r) for r in flow.by_account],
            }
        )


@extend_schema(tags=TAGS)
class BudgetApi(AccountingApi):
    """Planned (budget lines) against actual (ledger) per expense category."""

    @extend_schema(
        parameters=PERIOD,
        responses=BudgetRowOut(many=True),
        summary="Budget against actual spending",
    )
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        rows = reports.budget_vs_actual(
            business=self.business, start=q["start"], end=q["end"], location_id=q.get("location_id")
        )
        return Response(BudgetRowOut(rows, many=True).data)

    @extend_schema(
        request=BudgetLineIn,
        responses={200: BudgetLineOut, 204: None},
        parameters=[IDEMPOTENCY],
        summary="Plan a category's month (0 removes the line)",
    )
    def put(self, request, business_id: int):
        data = body(BudgetLineIn, request)

        def handler():
            line = services.budget_set(actor=request.user, business=self.business, **data)
            return (
                Response(BudgetLineOut(line).data)
                if line
                else Response(None, status=status.HTTP_204_NO_CONTENT)
            )

        return run_idempotent(request, operation="accounting.budget_set", handler=handler)


@extend_schema(tags=TAGS)
class BudgetLineListApi(AccountingApi):
    pagination_class = Pagination

    @extend_schema(responses=BudgetLineOut(many=True), summary="Budget lines")
    def get(self, request, business_id: int):
        return paginated(
            self, BudgetLine.objects.order_by("month", "category_id", "id"), BudgetLineOut
        )


def _file(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.body.encode("utf-8"), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@extend_schema(tags=TAGS)
class JournalCsvApi(AccountingApi):
    @extend_schema(
        parameters=PERIOD,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="One row per ledger entry."
            )
        },
        summary="Ledger journal as CSV",
    )
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        return _file(
            exports.journal_csv(
                business=self.business,
                start=q["start"],
                end=q["end"],
                location_id=q.get("location_id"),
            )
        )


@extend_schema(tags=TAGS)
class ProfitAndLossCsvApi(AccountingApi):
    @extend_schema(
        parameters=PERIOD,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="Per account and month."
            )
        },
        summary="Profit and loss as CSV",
    )
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        report = reports.profit_and_loss(
            business=self.business, start=q["start"], end=q["end"], location_id=q.get("location_id")
        )
        return _file(exports.pnl_csv(report, business=self.business))


@extend_schema(tags=TAGS)
class FecApi(AccountingApi):
    """The French FEC (article A47 A-1 LPF) of a period for the whole business: 18 tab-separated columns. Books in euros only."""

    @extend_schema(
        parameters=PERIOD[:2],
        responses={
            (200, "text/tab-separated-values"): OpenApiResponse(
                OpenApiTypes.STR, description="The FEC file."
            ),
            400: OpenApiResponse(description="Not in euros."),
        },
        summary="FEC export",
    )
    def get(self, request, business_id: int):
        q = query_params(PeriodQuery, request)
        return _file(exports.fec_export(business=self.business, start=q["start"], end=q["end"]))


# ---------------------------------------------------------------- staff pay


@extend_schema(tags=TAGS)
class CommissionRuleListApi(AccountingApi):
    pagination_class = Pagination

    @extend_schema(responses=CommissionRuleOut(many=True), summary="Commission rules")
    def get(self, request, business_id: int):
        return paginated(
            self,
            CommissionRule.objects.order_by("master_id", "kind", "valid_from", "id"),
            CommissionRuleOut,
        )

    @extend_schema(
        request=CommissionRuleIn,
        responses={201: CommissionRuleOut},
        parameters=[IDEMPOTENCY],
        summary="Add a commission rule",
    )
    def post(self, request, business_id: int):
        data = body(CommissionRuleIn, request)
        return run_idempotent(
            request,
            operation="accounting.rule_create",
            handler=lambda: Response(
                CommissionRuleOut(
                    services.commission_rule_create(
                        actor=request.user, business=self.business, **data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class CommissionRuleEndApi(AccountingApi):
    @extend_schema(request=RuleEndIn, responses=CommissionRuleOut, summary="End a commission rule")
    def post(self, request, business_id: int, rule_id: int):
        _get(CommissionRule.objects, rule_id)
        data = body(RuleEndIn, request)
        return run_idempotent(
            request,
            operation="accounting.rule_end",
            handler=lambda: Response(
                CommissionRuleOut(
                    services.commission_rule_end(
                        actor=request.user, business=self.business, rule_id=rule_id, **data
                    )
                ).data
            ),
        )


@extend_schema(tags=TAGS)
class PayPreviewApi(AccountingApi):
    """What a master would be paid for a period, without writing anything."""

    @extend_schema(
        parameters=[PayPeriodIn], responses=PayPreviewOut, summary="Preview a pay statement"
    )
    def get(self, request, business_id: int):
        from solibook.catalog.models import Master

        q = query_params(PayPeriodIn, request)
        master = _get(Master.objects, q["master_id"])
        services.check_period(q["period_start"], q["period_end"])
        pay = staff.pay_for(
            business=self.business, master=master, start=q["period_start"], end=q["period_end"]
        )
        return Response(
            {
                "master_id": master.pk,
                "period_start": q["period_start"],
                "period_end": q["period_end"],
                "currency": self.business.currency,
                "services_base": pay.services_base,
                "products_base": pay.products_base,
                "service_commission": pay.service_commission,
                "product_commission": pay.product_commission,
                "fixed_amount": pay.fixed_amount,
                "tips": pay.tips,
                "total": pay.total,
                "lines": pay.lines,
            }
        )


@extend_schema(tags=TAGS)
class PayStatementListApi(AccountingApi):
    pagination_class = Pagination

    @extend_schema(responses=PayStatementOut(many=True), summary="Pay statements")
    def get(self, request, business_id: int):
        return paginated(
            self, PayStatement.objects.order_by("-period_start", "master_id", "id"), PayStatementOut
        )

    @extend_schema(
        request=PayPeriodIn,
        responses={201: PayStatementOut},
        parameters=[IDEMPOTENCY],
        summary="Approve a master's statement for a period (posts the accrual)",
    )
    def post(self, request, business_id: int):
        data = body(PayPeriodIn, request)
        return run_idempotent(
            request,
            operation="accounting.pay_approve",
            handler=lambda: Response(
                PayStatementOut(
                    services.pay_statement_approve(
                        actor=request.user, business=self.business, **data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class PayStatementDetailApi(AccountingApi):
    @extend_schema(responses=PayStatementOut, summary="One pay statement")
    def get(self, request, business_id: int, statement_id: int):
        return Response(PayStatementOut(_get(PayStatement.objects, statement_id)).data)


@extend_schema(tags=TAGS)
class PayStatementPayApi(AccountingApi):
    @extend_schema(
        request=PayIn,
        responses=PayStatementOut,
        parameters=[IDEMPOTENCY],
        summary="Pay an approved statement",
    )
    def post(self, request, business_id: int, statement_id: int):
        _get(PayStatement.objects, statement_id)
        data = body(PayIn, request)
        return run_idempotent(
            request,
            operation="accounting.pay_pay",
            handler=lambda: Response(
                PayStatementOut(
                    services.pay_statement_pay(
                        actor=request.user,
                        business=self.business,
                        statement_id=statement_id,
                        **data,
                    )
                ).data
            ),
        )


@extend_schema(tags=TAGS)
class PayStatementVoidApi(AccountingApi):
    @extend_schema(
        request=None,
        responses=PayStatementOut,
        parameters=[IDEMPOTENCY],
        summary="Withdraw an unpaid statement (reverses its accrual)",
    )
    def post(self, request, business_id: int, statement_id: int):
        _get(PayStatement.objects, statement_id)
        return run_idempotent(
            request,
            operation="accounting.pay_void",
            handler=lambda: Response(
                PayStatementOut(
                    services.pay_statement_void(
                        actor=request.user, business=self.business, statement_id=statement_id
                    )
                ).data
            ),
        )
