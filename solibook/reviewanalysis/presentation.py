"""Words and chart data for the pages (translated labels of aspects, sentiments, languages)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def aspect_labels() -> dict[str, str]:
    return {
        "welcome": _("Welcome"),
        "result": _("Result"),
        "cleanliness": _("Cleanliness"),
        "price": _("Price"),
        "punctuality": _("Punctuality"),
        "master": _("The master"),
    }


def aspect_label(aspect: str) -> str:
    return aspect_labels().get(aspect, aspect)


SENTIMENT_LABELS = {
    "positive": gettext_lazy("Positive"),
    "mixed": gettext_lazy("Mixed"),
    "negative": gettext_lazy("Negative"),
}


def language_label(code: str) -> str:
    return {
        "en": _("English"),
        "fr": _("French"),
        "ru": _("Russian"),
        "ar": _("Arabic"),
        "other": _("Another language"),
    }.get(code, code)


def chart_data(data) -> dict:
    """What the trend chart draws (json_script on the page; static JS, no inline script)."""
    return {
        "labels": [row["month"].isoformat() for row in data.trend],
        "reviews": [row["reviews"] for row in data.trend],
        "average_rating": [row["average_rating"] for row in data.trend],
        "positive_share": [
            None if row["positive_share"] is None else round(100 * row["positive_share"], 1)
            for row in data.trend
        ],
        "negative_share": [
            None if row["negative_share"] is None else round(100 * row["negative_share"], 1)
            for row in data.trend
        ],
    }
