"""Corporate wellness API: the same services as the pages. Platform staff manage
companies; HR admins read employees, usage and invoices of their company (another
company is 404); employees read their budget and pay a visit with it."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import PlatformCapability
from solibook.api.platform import platform_permission
from solibook.booking.models import Appointment
from solibook.core.tenancy import business_scope
from solibook.corporate import budgets, selectors, services
from solibook.corporate.api.serializers import (
    CompanyAdminIn,
    CompanyIn,
    CompanyInvoiceOut,
    CompanyMonthIn,
    CompanyOut,
    CompanyRulesIn,
    WellnessBudgetOut,
    WellnessEmployeeOut,
    WellnessInvitationIn,
    WellnessJoinIn,
    WellnessPayIn,
    WellnessPaymentOut,
    WellnessUsageOut,
    WellnessUsageQuery,
)
from solibook.corporate.models import Company
from solibook.finance import selectors as finance_selectors


def _body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _company(request, company_id: int) -> Company:
    company = get_object_or_404(Company, pk=company_id)
    return selectors.company_for_admin(user=request.user, slug=company.slug)


# --- platform staff ----------------------------------------------------------------


@extend_schema(tags=["corporate"])
class PlatformCompaniesApi(APIView):
    def get_permissions(self):
        capability = (
            PlatformCapability.MANAGE_PLATFORM_FINANCE
            if self.request.method == "POST"
            else PlatformCapability.VIEW_PLATFORM_FINANCE
        )
        return [IsAuthenticated(), platform_permission(capability)()]

    @extend_schema(responses=CompanyOut(many=True), summary="Companies (platform staff)")
    def get(self, request):
        return Response(CompanyOut(Company.objects.order_by("name"), many=True).data)

    @extend_schema(request=CompanyIn, responses={201: CompanyOut}, summary="Create a company")
    def post(self, request):
        data = _body(CompanyIn, request)
        company = services.company_create(actor=request.user, **data)
        return Response(CompanyOut(company).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["corporate"])
class PlatformCompanyAdminsApi(APIView):
    permission_classes = [
        IsAuthenticated,
        platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE),
    ]

    @extend_schema(request=CompanyAdminIn, responses={201: None}, summary="Add an HR admin")
    def post(self, request, company_id: int):
        company = get_object_or_404(Company, pk=company_id)
        services.company_admin_add(
            company=company, email=_body(CompanyAdminIn, request)["email"], actor=request.user
        )
        return Response(status=status.HTTP_201_CREATED)


# --- HR admins -----------------------------------------------------------------------


@extend_schema(tags=["corporate"])
class CompanyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CompanyOut, summary="The company and its budget rules")
    def get(self, request, company_id: int):
        return Response(CompanyOut(_company(request, company_id)).data)

    @extend_schema(request=CompanyRulesIn, responses=CompanyOut, summary="Change the budget rules")
    def patch(self, request, company_id: int):
        company = _company(request, company_id)
        company = services.company_rules_update(
            company=company, actor=request.user, **_body(CompanyRulesIn, request)
        )
        return Response(CompanyOut(company).data)


@extend_schema(tags=["corporate"])
class EmployeesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=WellnessEmployeeOut(many=True), summary="Employees with their balances"
    )
    def get(self, request, company_id: int):
        company = _company(request, company_id)
        month = budgets.month_of(company, timezone.now())
        rows = selectors.employees_with_balances(company, month=month)
        return Response(
            WellnessEmployeeOut(
                [
                    {
                        "id": r.employee.pk,
                        "email": r.employee.email,
                        "status": r.employee.status,
                        "balance": r.balance,
                        "spent_this_month": r.spent_this_month,
                    }
                    for r in rows
                ],
                many=True,
            ).data
        )


@extend_schema(tags=["corporate"])
class InvitationsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=WellnessInvitationIn, responses={201: None}, summary="Invite an employee"
    )
    def post(self, request, company_id: int):
        company = _company(request, company_id)
        data = _body(WellnessInvitationIn, request)
        services.employee_invite(
            company=company,
            email=data["email"],
            monthly_budget=data.get("monthly_budget"),
            actor=request.user,
            site_url=request.build_absolute_uri("/"),
        )
        return Response(status=status.HTTP_201_CREATED)


def _since(until: date, months: int) -> date:
    since = until
    for _i in range(months):
        since = date(since.year - (since.month == 1), (since.month - 2) % 12 + 1, 1)
    return since


@extend_schema(tags=["corporate"])
class UsageApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[WellnessUsageQuery],
        responses=WellnessUsageOut,
        summary="Spend per employee, month and salon, and participation (never a service)",
    )
    def get(self, request, company_id: int):
        company = _company(request, company_id)
        query = WellnessUsageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        until = budgets.next_month(budgets.month_of(company, timezone.now()))
        since = _since(until, query.validated_data["months"])
        body = {
            "currency": company.currency,
            "rows": selectors.usage(company, since=since, until=until),
            "participation": selectors.participation(company, since=since, until=until),
        }
        return Response(WellnessUsageOut(body).data)


@extend_schema(tags=["corporate"])
class CompanyInvoicesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CompanyInvoiceOut(many=True), summary="The company's invoices")
    def get(self, request, company_id: int):
        company = _company(request, company_id)
        return Response(CompanyInvoiceOut(selectors.invoices_of(company), many=True).data)

    @extend_schema(
        request=CompanyMonthIn, responses={201: CompanyInvoiceOut}, summary="Invoice a closed month"
    )
    def post(self, request, company_id: int):
        company = _company(request, company_id)
        year, month = (int(x) for x in _body(CompanyMonthIn, request)["month"].split("-"))
        closed = services.month_close(
            company=company, month=date(year, month, 1), actor=request.user
        )
        return Response(CompanyInvoiceOut(closed.invoice).data, status=status.HTTP_201_CREATED)


# --- employees ---------------------------------------------------------------------------


@extend_schema(tags=["corporate"])
class MyWellnessApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WellnessBudgetOut, summary="My wellness budget: balance and history")
    def get(self, request):
        employee = selectors.employee_of(request.user)
        if employee is None:
            from solibook.core.errors import NotFound

            raise NotFound(_("You have no wellness budget."), code="no_budget")
        body = {
            "company": employee.company.name,
            "status": employee.status,
            "currency": employee.company.currency,
            "balance": selectors.balance_of(employee),
            "monthly_budget": employee.budget_amount(),
            "history": selectors.history_of(employee),
        }
        return Response(WellnessBudgetOut(body).data)


@extend_schema(tags=["corporate"])
class JoinApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=WellnessJoinIn, responses=WellnessBudgetOut, summary="Join with an invitation"
    )
    def post(self, request):
        services.invitation_accept(token=_body(WellnessJoinIn, request)["token"], user=request.user)
        return MyWellnessApi().get(request)


@extend_schema(tags=["corporate"])
class VisitPayApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=WellnessPayIn, responses={201: WellnessPaymentOut}, summary="Pay my visit from it"
    )
    def post(self, request, appointment_id: int):
        amount = _body(WellnessPayIn, request)["amount"]
        payment = services.visit_pay_with_budget(
            account=request.user, appointment_id=appointment_id, amount=amount
        )
        with scopes_disabled():
            appointment = Appointment.objects.select_related("business").get(pk=appointment_id)
        with business_scope(appointment.business):
            due = finance_selectors.amount_due(appointment=appointment)
        employee = selectors.employee_of(request.user)
        body = {
            "payment_id": payment.pk,
            "amount": amount,
            "balance": selectors.balance_of(employee) if employee else 0,
            "left_to_pay": max(due.total - due.paid, 0),
        }
        return Response(WellnessPaymentOut(body).data, status=status.HTTP_201_CREATED)
