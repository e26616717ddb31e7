"""Business B's marketing objects, for platform/tests/test_isolation.py (every
URL taking one must 404 for A)."""

from django_scopes import scopes_disabled


def objects_of_b(b) -> dict:
    from solibook.marketing.models import Campaign

    with scopes_disabled():
        campaign = Campaign.objects.create(business=b, name="B's campaign", channels=["email"])
    return {"campaign_id": campaign.pk, "kind": "birthday"}
