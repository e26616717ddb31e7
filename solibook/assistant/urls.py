from django.urls import path

from solibook.assistant.views import office, public

app_name = "assistant"

P = "office/<slug:business_slug>/assistant/"

urlpatterns = [
    path(P, office.conversation_list, name="conversation_list"),
    path(f"{P}settings/", office.assistant_settings, name="settings"),
    path(f"{P}<id:conversation_id>/", office.conversation_detail, name="conversation_detail"),
    path(
        f"{P}<id:conversation_id>/take-over/",
        office.conversation_take_over,
        name="conversation_take_over",
    ),
    path(
        f"{P}<id:conversation_id>/release/",
        office.conversation_release,
        name="conversation_release",
    ),
    # The chat widget on a salon's pages.
    path("chat/<slug:slug>/", public.panel, name="panel"),
    path("chat/<slug:slug>/send/", public.send, name="send"),
    path("chat/<slug:slug>/poll/", public.poll, name="poll"),
]
