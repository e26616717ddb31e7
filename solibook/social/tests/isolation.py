"""Business B's social objects, for platform/tests/test_isolation.py (every
URL taking one must 404 for A)."""

from django_scopes import scopes_disabled


def objects_of_b(b) -> dict:
    from solibook.social.models import Delivery, Post, SocialProfile, TrackedLink

    with scopes_disabled():
        profile = SocialProfile.objects.create(
            business=b,
            network="telegram",
            name="B's channel",
            external_id="@b_channel",
            token="x" * 20,
        )
        link = TrackedLink.objects.create(
            business=b, code="bpostlnk", purpose="post", target_path=""
        )
        post = Post.objects.create(business=b, kind="photo", title="B's post", text="B", link=link)
        Delivery.objects.create(business=b, post=post, profile=profile)
    return {"profile_id": profile.pk, "post_id": post.pk}
