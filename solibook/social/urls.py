from django.urls import path

from solibook.social.views import office, public

app_name = "social"

P = "office/<slug:business_slug>/social/"

urlpatterns = [
    path(P, office.post_list, name="post_list"),
    path(f"{P}new/", office.post_new, name="post_new"),
    path(f"{P}profiles/", office.profiles, name="profiles"),
    path(f"{P}profiles/<id:profile_id>/token/", office.profile_reconnect, name="profile_reconnect"),
    path(
        f"{P}profiles/<id:profile_id>/disconnect/",
        office.profile_disconnect,
        name="profile_disconnect",
    ),
    path(f"{P}posts/<id:post_id>/", office.post_detail, name="post_detail"),
    path(f"{P}posts/<id:post_id>/publish/", office.post_publish, name="post_publish"),
    path("s/<str:code>/", public.click, name="click"),
    path("s/<str:code>/card/", public.card, name="card"),
]
