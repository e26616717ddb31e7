from django.urls import path

from solibook.developers.views import office

app_name = "developers"

P = "office/<slug:business_slug>/developers/"
W = f"{P}webhooks/<id:endpoint_id>/"

urlpatterns = [
    path(P, office.home, name="home"),
    path(f"{P}keys/new/", office.key_create, name="key_create"),
    path(f"{P}keys/<id:key_id>/rotate/", office.key_rotate, name="key_rotate"),
    path(f"{P}keys/<id:key_id>/revoke/", office.key_revoke, name="key_revoke"),
    path(f"{P}webhooks/new/", office.webhook_create, name="webhook_create"),
    path(W, office.webhook_detail, name="webhook_detail"),
    path(f"{W}rotate-secret/", office.webhook_rotate, name="webhook_rotate"),
    path(f"{W}resume/", office.webhook_resume, name="webhook_resume"),
    path(f"{W}test/", office.webhook_test, name="webhook_test"),
    path(f"{W}delete/", office.webhook_delete, name="webhook_delete"),
    path(
        f"{W}deliveries/<id:delivery_id>/replay/",
        office.delivery_replay,
        name="delivery_replay",
    ),
]
