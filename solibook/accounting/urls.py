from django.urls import path

from solibook.accounting import views

app_name = "accounting"

A = "<slug:business_slug>/accounting/"

urlpatterns = [
    path(A, views.report, name="report"),
    path(f"{A}export/journal.csv", views.export, {"kind": "journal"}, name="export_journal"),
    path(f"{A}export/pnl.csv", views.export, {"kind": "pnl"}, name="export_pnl"),
    path(f"{A}export/fec.txt", views.export, {"kind": "fec"}, name="export_fec"),
    path(f"{A}expenses/", views.expense_list, name="expense_list"),
    path(f"{A}expenses/new/", views.expense_new, name="expense_new"),
    path(f"{A}expenses/<int:expense_id>/", views.expense_detail, name="expense_detail"),
    path(f"{A}expenses/<int:expense_id>/receipt/", views.expense_receipt, name="expense_receipt"),
    path(f"{A}categories/", views.category_list, name="category_list"),
    path(f"{A}categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path(f"{A}suppliers/", views.supplier_list, name="supplier_list"),
    path(f"{A}suppliers/<int:supplier_id>/", views.supplier_edit, name="supplier_edit"),
    path(f"{A}budget/", views.budget, name="budget"),
    path(f"{A}pay/", views.pay_home, name="pay_home"),
    path(f"{A}pay/rules/<int:rule_id>/end/", views.rule_end, name="rule_end"),
    path(f"{A}pay/statement/", views.pay_preview, name="pay_preview"),
    path(f"{A}pay/statements/<int:statement_id>/", views.statement_detail, name="statement_detail"),
]
