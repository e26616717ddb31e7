from django.urls import path

from solibook.support.views import client, office, platform, public

app_name = "support"

OFFICE = "office/<slug:business_slug>/support/"
CONSOLE = "platform/support/"

urlpatterns = [
    # Anyone: open a ticket or a live chat; a ticket's thread by its secret link.
    path("support/", public.home, name="home"),
    path("support/chat/", public.chat_start, name="chat_start"),
    path("support/t/<str:token>/", public.thread, name="thread"),
    path("support/t/<str:token>/messages/", public.messages_part, name="messages_part"),
    path("support/t/<str:token>/rate/", public.rate, name="rate"),
    path("support/files/<id:attachment_id>/", public.attachment, name="attachment"),
    # The signed-in client.
    path("me/support/", client.tickets, name="my_tickets"),
    path("me/support/<id:ticket_id>/", client.ticket, name="my_ticket"),
    # The salon's back office.
    path(OFFICE, office.tickets, name="office_tickets"),
    path(f"{OFFICE}new/", office.ticket_new, name="office_ticket_new"),
    path(f"{OFFICE}<id:ticket_id>/", office.ticket, name="office_ticket"),
    # The operator console.
    path(CONSOLE, platform.queue, name="queue"),
    path(f"{CONSOLE}heartbeat/", platform.heartbeat, name="heartbeat"),
    path(f"{CONSOLE}canned/", platform.canned, name="canned"),
    path(f"{CONSOLE}<id:ticket_id>/", platform.ticket, name="console_ticket"),
    path(f"{CONSOLE}<id:ticket_id>/messages/", platform.messages_part, name="console_messages"),
    path(f"{CONSOLE}<id:ticket_id>/assign/", platform.assign, name="assign"),
    path(f"{CONSOLE}<id:ticket_id>/status/", platform.status, name="status"),
    path(f"{CONSOLE}<id:ticket_id>/priority/", platform.priority, name="priority"),
]
