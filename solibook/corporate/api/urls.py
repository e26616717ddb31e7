from django.urls import path

from solibook.corporate.api import views

app_name = "corporate_api"

urlpatterns = [
    path("platform/companies/", views.PlatformCompaniesApi.as_view(), name="platform_companies"),
    path(
        "platform/companies/<id:company_id>/admins/",
        views.PlatformCompanyAdminsApi.as_view(),
        name="platform_admins",
    ),
    path("companies/<id:company_id>/", views.CompanyApi.as_view(), name="company"),
    path("companies/<id:company_id>/employees/", views.EmployeesApi.as_view(), name="employees"),
    path(
        "companies/<id:company_id>/invitations/",
        views.InvitationsApi.as_view(),
        name="invitations",
    ),
    path("companies/<id:company_id>/usage/", views.UsageApi.as_view(), name="usage"),
    path(
        "companies/<id:company_id>/invoices/",
        views.CompanyInvoicesApi.as_view(),
        name="invoices",
    ),
    path("me/wellness/", views.MyWellnessApi.as_view(), name="wellness"),
    path("me/wellness/join/", views.JoinApi.as_view(), name="join"),
    path(
        "me/wellness/visits/<id:appointment_id>/pay/",
        views.VisitPayApi.as_view(),
        name="visit_pay",
    ),
]
