"""Business B's landing page, for platform/tests/test_isolation.py (every URL
taking one must 404 for A)."""

from datetime import date

from django_scopes import scopes_disabled


def objects_of_b(b) -> dict:
    from solibook.offers.models import PromoCode
    from solibook.partnerships.models import Landing
    from solibook.social.models import TrackedLink

    with scopes_disabled():
        promo = PromoCode.objects.create(
            business=b, code="BGYM10", discount_percent=10, currency=b.currency
        )
        link = TrackedLink.objects.create(
            business=b, code="blandlnk", purpose="landing", target_path="partnerships/b/gym/"
        )
        landing = Landing.objects.create(
            business=b,
            kind="partner",
            slug="gym",
            title="B's gym",
            partner_name="Gym B",
            starts_on=date(2030, 1, 1),
            ends_on=date(2030, 12, 31),
            promo=promo,
            link=link,
        )
    return {"landing_id": landing.pk}
