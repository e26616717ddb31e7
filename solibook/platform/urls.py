from django.urls import path

from solibook.platform import views

app_name = "platform"

urlpatterns = [path("", views.home, name="home"), path("audit/", views.audit, name="audit")]
