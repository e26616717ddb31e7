from django.urls import path

from solibook.styleadvisor.api import views

app_name = "styleadvisor_api"

urlpatterns = [
    path(
        "salons/<slug:slug>/style-advisor/",
        views.StyleAdvisorApi.as_view(),
        name="advisor",
    ),
]
