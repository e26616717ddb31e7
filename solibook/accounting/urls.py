from django.urls import path

from solibook.accounting.views import office

app_name = "accounting"

A = "office/<slug:business_slug>/accounting/"

urlpatterns = [
    path(A, office.report, name="report"),
    path(f"{A}export/journal.csv", office.export, {"kind": "journal"}, name="export_journal"),
    path(f"{A}export/pnl.csv", office.export, {"kind": "pnl"}, name="export_pnl"),
    path(f"{A}export/fec.txt", office.export, {"kind": "fec"}, name="export_fec"),
    path(f"{A}expenses/", office.expense_list, name="expense_list"),
    path(f"{A}expenses/new/", office.expense_new, name="expense_new"),
    path(f"{A}expenses/<id:expense_id>/", office.expense_detail, name="expense_detail"),
    path(f"{A}expenses/<id:expense_id>/receipt/", office.expense_receipt, name="expense_receipt"),
    path(f"{A}categories/", office.category_list, name="category_list"),
    path(f"{A}categories/<id:category_id>/", office.category_edit, name="category_edit"),
    path(f"{A}suppliers/", office.supplier_list, name="supplier_list"),
    path(f"{A}suppliers/<id:supplier_id>/", office.supplier_edit, name="supplier_edit"),
    path(f"{A}budget/", office.budget, name="budget"),
    path(f"{A}pay/", office.pay_home, name="pay_home"),
    path(f"{A}pay/rules/<id:rule_id>/end/", office.rule_end, name="rule_end"),
    path(f"{A}pay/statement/", office.pay_preview, name="pay_preview"),
    path(f"{A}pay/statements/<id:statement_id>/", office.statement_detail, name="statement_detail"),
]
