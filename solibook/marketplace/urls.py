from django.urls import path

from solibook.marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("salons/<slug:slug>/", views.salon, name="salon"),
]
