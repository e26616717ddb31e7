from django.urls import path

from solibook.accounting.api import views

app_name = "accounting_api"

A = "businesses/<id:business_id>/accounting/"

urlpatterns = [
    path(f"{A}expense-categories/", views.ExpenseCategoryListApi.as_view(), name="category_list"),
    path(
        f"{A}expense-categories/<id:category_id>/",
        views.ExpenseCategoryDetailApi.as_view(),
        name="category_detail",
    ),
    path(f"{A}suppliers/", views.SupplierListApi.as_view(), name="supplier_list"),
    path(
        f"{A}suppliers/<id:supplier_id>/",
        views.SupplierDetailApi.as_view(),
        name="supplier_detail",
    ),
    path(f"{A}expenses/", views.ExpenseListApi.as_view(), name="expense_list"),
    path(f"{A}expenses/<id:expense_id>/", views.ExpenseDetailApi.as_view(), name="expense_detail"),
    path(f"{A}expenses/<id:expense_id>/void/", views.ExpenseVoidApi.as_view(), name="expense_void"),
    path(
        f"{A}expenses/<id:expense_id>/receipt/",
        views.ExpenseReceiptApi.as_view(),
        name="expense_receipt",
    ),
    path(f"{A}budget/", views.BudgetApi.as_view(), name="budget"),
    path(f"{A}budget-lines/", views.BudgetLineListApi.as_view(), name="budget_lines"),
    path(f"{A}reports/pnl/", views.ProfitAndLossApi.as_view(), name="pnl"),
    path(f"{A}reports/cash-flow/", views.CashFlowApi.as_view(), name="cash_flow"),
    path(f"{A}exports/journal.csv", views.JournalCsvApi.as_view(), name="export_journal"),
    path(f"{A}exports/pnl.csv", views.ProfitAndLossCsvApi.as_view(), name="export_pnl"),
    path(f"{A}exports/fec.txt", views.FecApi.as_view(), name="export_fec"),
    path(f"{A}commission-rules/", views.CommissionRuleListApi.as_view(), name="rule_list"),
    path(
        f"{A}commission-rules/<id:rule_id>/end/",
        views.CommissionRuleEndApi.as_view(),
        name="rule_end",
    ),
    path(f"{A}pay-statements/", views.PayStatementListApi.as_view(), name="statement_list"),
    path(f"{A}pay-statements/preview/", views.PayPreviewApi.as_view(), name="statement_preview"),
    path(
        f"{A}pay-statements/<id:statement_id>/",
        views.PayStatementDetailApi.as_view(),
        name="statement_detail",
    ),
    path(
        f"{A}pay-statements/<id:statement_id>/pay/",
        views.PayStatementPayApi.as_view(),
        name="statement_pay",
    ),
    path(
        f"{A}pay-statements/<id:statement_id>/void/",
        views.PayStatementVoidApi.as_view(),
        name="statement_void",
    ),
]
