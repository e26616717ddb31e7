"""The client's booking drafts, visits and favourites."""

from django.urls import path

from solibook.clientarea.api import views as client_account

app_name = "clientarea_api"

urlpatterns = [
    path(
        "locations/<id:location_id>/priced-slots/",
        client_account.PricedSlotsApi.as_view(),
        name="priced_slots",
    ),
    path("booking-drafts/", client_account.DraftCreateApi.as_view(), name="draft_create"),
    path("booking-drafts/<str:token>/", client_account.DraftDetailApi.as_view(), name="draft"),
    path(
        "booking-drafts/<str:token>/send-code/",
        client_account.DraftSendCodeApi.as_view(),
        name="draft_send_code",
    ),
    path(
        "booking-drafts/<str:token>/verify/",
        client_account.DraftVerifyApi.as_view(),
        name="draft_verify",
    ),
    path(
        "booking-drafts/<str:token>/confirm/",
        client_account.DraftConfirmApi.as_view(),
        name="draft_confirm",
    ),
    path(
        "booking-drafts/<str:token>/payment/",
        client_account.DraftPaymentApi.as_view(),
        name="draft_payment",
    ),
    path("me/visits/", client_account.VisitsApi.as_view(), name="visits"),
    path(
        "me/visits/<id:appointment_id>/pay/",
        client_account.VisitPayApi.as_view(),
        name="visit_pay",
    ),
    path(
        "me/visits/<id:appointment_id>/cancel/",
        client_account.VisitCancelApi.as_view(),
        name="visit_cancel",
    ),
    path(
        "me/visits/<id:appointment_id>/reschedule/",
        client_account.VisitRescheduleApi.as_view(),
        name="visit_reschedule",
    ),
    path("me/favourites/", client_account.FavouritesApi.as_view(), name="favourites"),
    path(
        "me/favourites/<id:favourite_id>/",
        client_account.FavouriteDeleteApi.as_view(),
        name="favourite",
    ),
]
