from django.urls import path

from solibook.recommendations.views import office, public

app_name = "recommendations"

urlpatterns = [
    path(
        "office/<slug:business_slug>/recommendations/appointments/<id:appointment_id>/",
        office.appointment_suggestions,
        name="appointment",
    ),
    path("book/<slug:slug>/together/", public.together, name="together"),
]
