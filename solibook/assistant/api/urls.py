from django.urls import path

from solibook.assistant.api import views

app_name = "assistant_api"

P = "businesses/<id:business_id>/assistant/"

urlpatterns = [
    path("assistant/chat/<slug:slug>/", views.ChatStartApi.as_view(), name="chat_start"),
    path(
        "assistant/conversations/<str:token>/messages/",
        views.ChatMessagesApi.as_view(),
        name="chat_messages",
    ),
    path("assistant/hooks/telegram/<str:key>/", views.telegram_hook, name="telegram_hook"),
    path("assistant/hooks/whatsapp/<str:key>/", views.whatsapp_hook, name="whatsapp_hook"),
    path(f"{P}conversations/", views.ConversationListApi.as_view(), name="conversation_list"),
    path(
        f"{P}conversations/<id:conversation_id>/",
        views.ConversationDetailApi.as_view(),
        name="conversation_detail",
    ),
    path(
        f"{P}conversations/<id:conversation_id>/take-over/",
        views.ConversationTakeOverApi.as_view(),
        name="conversation_take_over",
    ),
    path(
        f"{P}conversations/<id:conversation_id>/release/",
        views.ConversationReleaseApi.as_view(),
        name="conversation_release",
    ),
    path(
        f"{P}conversations/<id:conversation_id>/reply/",
        views.ConversationReplyApi.as_view(),
        name="conversation_reply",
    ),
    path(f"{P}settings/", views.AssistantSettingsApi.as_view(), name="settings"),
]
