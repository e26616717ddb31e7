from django.urls import path

from solibook.developers.api import views

app_name = "developers_api"

P = "businesses/<id:business_id>/developers/"
W = f"{P}webhooks/<id:endpoint_id>/"

urlpatterns = [
    path(f"{P}keys/", views.ApiKeyListApi.as_view(), name="key_list"),
    path(f"{P}keys/<id:key_id>/rotate/", views.ApiKeyRotateApi.as_view(), name="key_rotate"),
    path(f"{P}keys/<id:key_id>/revoke/", views.ApiKeyRevokeApi.as_view(), name="key_revoke"),
    path(f"{P}webhooks/", views.WebhookListApi.as_view(), name="webhook_list"),
    path(W, views.WebhookDetailApi.as_view(), name="webhook_detail"),
    path(f"{W}rotate-secret/", views.WebhookRotateSecretApi.as_view(), name="webhook_rotate"),
    path(f"{W}resume/", views.WebhookResumeApi.as_view(), name="webhook_resume"),
    path(f"{W}test/", views.WebhookTestApi.as_view(), name="webhook_test"),
    path(f"{W}deliveries/", views.WebhookDeliveryListApi.as_view(), name="delivery_list"),
    path(
        f"{W}deliveries/<id:delivery_id>/replay/",
        views.WebhookReplayApi.as_view(),
        name="delivery_replay",
    ),
]
