"""The style catalogue (`data/styles.json`, our own work) and the questionnaire's choices."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATA = Path(__file__).resolve().parent / "data"

FACES = {
    "oval": _("Oval"),
    "round": _("Round"),
    "square": _("Square"),
    "heart": _("Heart"),
    "long": pgettext_lazy("face shape", "Long"),
}
HAIR_TYPES = {
    "straight": _("Straight"),
    "wavy": _("Wavy"),
    "curly": _("Curly"),
    "coily": _("Coily"),
}
LENGTHS = {
    "short": pgettext_lazy("hair length", "Short"),
    "medium": pgettext_lazy("hair length", "Shoulder length"),
    "long": pgettext_lazy("hair length", "Long"),
}
TONES = {
    "fair": _("Fair, pink or cool undertone"),
    "warm": _("Light to medium, golden undertone"),
    "olive": _("Olive"),
    "deep": _("Deep"),
}
OCCASIONS = {
    "everyday": _("Every day"),
    "work": _("Work"),
    "party": _("A party or an evening out"),
    "wedding": _("A wedding"),
}


@dataclass(frozen=True)
class Style:
    id: str
    faces: tuple[str, ...]
    hair_types: tuple[str, ...]
    lengths: tuple[str, ...]  # the lengths it can be made from
    tones: tuple[str, ...]  # empty: any skin tone
    occasions: tuple[str, ...]
    categories: tuple[str, ...]  # taxonomy slugs of the services that realise it
    keywords: tuple[str, ...]  # words in service names that realise it
    name: dict
    description: dict

    def name_in(self, language: str) -> str:
        return self.name.get(language) or self.name["en"]

    def description_in(self, language: str) -> str:
        return self.description.get(language) or self.description["en"]

    @property
    def picture(self) -> str:
        return f"styleadvisor/styles/{self.id}.svg"


@cache
def styles() -> tuple[Style, ...]:
    raw = json.loads((DATA / "styles.json").read_text(encoding="utf-8"))
    return tuple(
        Style(
            id=s["id"],
            faces=tuple(s["faces"]),
            hair_types=tuple(s["hair_types"]),
            lengths=tuple(s["lengths"]),
            tones=tuple(s["tones"]),
            occasions=tuple(s["occasions"]),
            categories=tuple(s["categories"]),
            keywords=tuple(s["keywords"]),
            name=s["name"],
            description=s["description"],
        )
        for s in raw["styles"]
    )


def style_by_id(style_id: str) -> Style | None:
    return next((s for s in styles() if s.id == style_id), None)


@cache
def heldout_questionnaires() -> list[dict]:
    """Questionnaires written apart from the catalogue, with the styles a stylist would pick:
    only `evaluation.py` reads them."""
    return json.loads((DATA / "questionnaires_heldout.json").read_text(encoding="utf-8"))
