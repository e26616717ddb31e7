from django.conf import settings
from django.utils.translation import get_language_bidi


def site(request):
    return {
        "SITE_NAME": settings.SOLIBOOK_SITE_NAME,
        "LANGUAGE_BIDI": get_language_bidi(),
        "DEMO_INBOX": settings.DEMO_INBOX,  # the demo profile: a link to its inbox
    }
