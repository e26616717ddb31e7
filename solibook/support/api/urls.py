from django.urls import path

from solibook.support.api import views

app_name = "support_api"

ME = "support/tickets/"
SALON = "businesses/<id:business_id>/support/tickets/"
CONSOLE = "platform/support/"

urlpatterns = [
    path("support/chat-status/", views.ChatStatusApi.as_view(), name="chat_status"),
    path(ME, views.MyTicketListApi.as_view(), name="my_tickets"),
    path(f"{ME}<id:ticket_id>/", views.MyTicketApi.as_view(), name="my_ticket"),
    path(f"{ME}<id:ticket_id>/replies/", views.MyReplyApi.as_view(), name="my_reply"),
    path(f"{ME}<id:ticket_id>/rating/", views.MyRatingApi.as_view(), name="my_rating"),
    path(SALON, views.SalonTicketListApi.as_view(), name="salon_tickets"),
    path(f"{SALON}<id:ticket_id>/", views.SalonTicketApi.as_view(), name="salon_ticket"),
    path(f"{SALON}<id:ticket_id>/replies/", views.SalonReplyApi.as_view(), name="salon_reply"),
    path(f"{CONSOLE}tickets/", views.QueueApi.as_view(), name="queue"),
    path(f"{CONSOLE}tickets/<id:ticket_id>/", views.ConsoleTicketApi.as_view(), name="ticket"),
    path(
        f"{CONSOLE}tickets/<id:ticket_id>/replies/",
        views.ConsoleReplyApi.as_view(),
        name="reply",
    ),
    path(
        f"{CONSOLE}tickets/<id:ticket_id>/assign/", views.ConsoleAssignApi.as_view(), name="assign"
    ),
    path(
        f"{CONSOLE}tickets/<id:ticket_id>/status/", views.ConsoleStatusApi.as_view(), name="status"
    ),
    path(
        f"{CONSOLE}tickets/<id:ticket_id>/priority/",
        views.ConsolePriorityApi.as_view(),
        name="priority",
    ),
    path(f"{CONSOLE}canned-replies/", views.CannedReplyListApi.as_view(), name="canned"),
    path(f"{CONSOLE}presence/", views.PresenceApi.as_view(), name="presence"),
]
