"""Words for the advisor's pages and API: why a style was chosen."""

from django.utils.translation import gettext as _


def reason_labels() -> dict[str, str]:
    return {
        "face": _("Suits your face shape"),
        "hair_type": _("Works with your hair type"),
        "tone": _("Flatters your skin tone"),
        "occasion": _("Right for the occasion"),
        "wishes": _("Close to your wishes"),
    }
