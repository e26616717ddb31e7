from django.urls import path

from solibook.platform.views import platform

app_name = "platform"

urlpatterns = [
    path("platform/", platform.home, name="home"),
    path("platform/audit/", platform.audit, name="audit"),
]
