from django.urls import path

from solibook.social.api import views

app_name = "social_api"

P = "businesses/<id:business_id>/social/"

urlpatterns = [
    path(f"{P}profiles/", views.ProfileListApi.as_view(), name="profile_list"),
    path(
        f"{P}profiles/<id:profile_id>/token/", views.ProfileTokenApi.as_view(), name="profile_token"
    ),
    path(
        f"{P}profiles/<id:profile_id>/disconnect/",
        views.ProfileDisconnectApi.as_view(),
        name="profile_disconnect",
    ),
    path(f"{P}posts/", views.PostListApi.as_view(), name="post_list"),
    path(f"{P}posts/<id:post_id>/", views.PostDetailApi.as_view(), name="post_detail"),
    path(f"{P}posts/<id:post_id>/publish/", views.PostPublishApi.as_view(), name="post_publish"),
    path(f"{P}slots/", views.SlotListApi.as_view(), name="slots"),
]
