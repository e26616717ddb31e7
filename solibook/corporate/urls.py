from django.urls import path

from solibook.corporate.views import client, company, platform

app_name = "corporate"

urlpatterns = [
    # Platform staff (the operator console).
    path("platform/companies/", platform.companies, name="platform_companies"),
    path("platform/companies/<id:company_id>/", platform.company, name="platform_company"),
    path(
        "platform/companies/<id:company_id>/admins/",
        platform.company_admin_add,
        name="platform_admin_add",
    ),
    path(
        "platform/companies/<id:company_id>/close/",
        platform.company_close,
        name="platform_close",
    ),
    path(
        "platform/companies/<id:company_id>/invoices/<id:invoice_id>/paid/",
        platform.invoice_paid,
        name="platform_invoice_paid",
    ),
    # HR admins.
    path("company/<slug:slug>/", company.employees, name="employees"),
    path("company/<slug:slug>/rules/", company.rules, name="rules"),
    path(
        "company/<slug:slug>/employees/<id:employee_id>/remove/",
        company.employee_remove,
        name="employee_remove",
    ),
    path("company/<slug:slug>/usage/", company.usage, name="usage"),
    path("company/<slug:slug>/usage.csv", company.usage_csv, name="usage_csv"),
    path("company/<slug:slug>/invoices/", company.invoices, name="invoices"),
    path(
        "company/<slug:slug>/invoices/<id:invoice_id>.pdf",
        company.invoice_pdf,
        name="invoice_pdf",
    ),
    # Employees.
    path("wellness/join/<str:token>/", client.join, name="join"),
    path("me/wellness/", client.wellness, name="wellness"),
    path("me/wellness/visits/<id:appointment_id>/pay/", client.visit_pay, name="visit_pay"),
    path("me/wellness/visits/<id:appointment_id>/paid/", client.visit_paid, name="visit_paid"),
]
