from django.urls import path

from solibook.recommendations.api import views

app_name = "recommendations_api"

P = "businesses/<id:business_id>/recommendations/"

urlpatterns = [
    path(f"{P}clients/<id:client_id>/", views.ClientSuggestionsApi.as_view(), name="client"),
    path(
        f"{P}appointments/<id:appointment_id>/",
        views.VisitSuggestionsApi.as_view(),
        name="appointment",
    ),
    path(
        f"{P}services/<id:service_id>/together/",
        views.ServiceTogetherApi.as_view(),
        name="service_together",
    ),
    path(
        "locations/<id:location_id>/booked-together/",
        views.BookedTogetherApi.as_view(),
        name="booked_together",
    ),
    path("me/recommendations/", views.MySuggestionsApi.as_view(), name="mine"),
]
