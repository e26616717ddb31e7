"""The advisor's answer for one salon: matched styles and the salon's services that realise
them (read only: the advisor writes nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.catalog.models import Business
from solibook.core.errors import NotFound, ValidationFailed
from solibook.marketplace.models import ServiceListing
from solibook.reviewanalysis.engine import OTHER, detect_language
from solibook.styleadvisor.catalogue import FACES, HAIR_TYPES, LENGTHS, OCCASIONS, TONES, Style
from solibook.styleadvisor.matching import Answers, Match, match

MAX_WISHES = 500
SERVICES_PER_STYLE = 3


@dataclass
class Offer:
    service_id: int
    location_id: int
    name: str
    price_amount: int
    price_is_from: bool
    currency: str
    duration_minutes: int


@dataclass
class Suggestion:
    match: Match
    offers: list[Offer] = field(default_factory=list)

    @property
    def style(self) -> Style:
        return self.match.style


@dataclass
class Advice:
    business: Business
    answers: Answers
    suggestions: list[Suggestion]
    notes: list[str]


def listed_business(*, slug: str) -> Business:
    with scopes_disabled():
        business = Business.objects.filter(slug=slug, is_listed=True).first()
    if business is None:
        raise NotFound(_("This salon is not listed."))
    return business


def clean_answers(data) -> Answers:
    """The questionnaire's answers, checked: every choice known or empty, wishes short."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name, choices in (
        ("face", FACES),
        ("hair_type", HAIR_TYPES),
        ("length", LENGTHS),
        ("tone", TONES),
        ("occasion", OCCASIONS),
    ):
        value = str(data.get(name) or "").strip()
        if value and value not in choices:
            errors[name] = [_("Choose one of the answers offered.")]
        values[name] = value
    wishes = str(data.get("wishes") or "").strip()
    if len(wishes) > MAX_WISHES or "\x00" in wishes:
        errors["wishes"] = [_("At most %(n)d characters.") % {"n": MAX_WISHES}]
    if errors:
        raise ValidationFailed(_("Please check your answers."), fields=errors)
    return Answers(wishes=wishes, **values)


def _offers(business: Business, styles: list[Style]) -> dict[str, list[Offer]]:
    with scopes_disabled():
        listings = list(
            ServiceListing.objects.filter(salon__business=business)
            .select_related("category", "category__parent", "salon")
            .order_by("price_amount", "id")
        )
    out: dict[str, list[Offer]] = {}
    for style in styles:
        found: dict[int, tuple[int, Offer]] = {}
        for listing in listings:
            slugs = {listing.category.slug}
            if listing.category.parent is not None:
                slugs.add(listing.category.parent.slug)
            name = listing.name.lower()
            by_name = any(k.lower() in name for k in style.keywords)
            if not by_name and not slugs & set(style.categories):
                continue
            rank = 0 if by_name else 1
            known = found.get(listing.service_id)
            if known is None or rank < known[0]:
                found[listing.service_id] = (
                    rank,
                    Offer(
                        service_id=listing.service_id,
                        location_id=listing.salon.location_id,
                        name=listing.name,
                        price_amount=listing.price_amount,
                        price_is_from=listing.price_is_from,
                        currency=listing.currency,
                        duration_minutes=listing.duration_minutes,
                    ),
                )
        ranked = sorted(found.values(), key=lambda pair: (pair[0], pair[1].price_amount))
        out[style.id] = [offer for _rank, offer in ranked[:SERVICES_PER_STYLE]]
    return out


def advice(*, business: Business, answers: Answers, limit: int = 3) -> Advice:
    """The best styles for these answers, preferring those this salon can realise."""
    ranked = match(answers, limit=12)
    offers = _offers(business, [m.style for m in ranked])
    doable = [m for m in ranked if offers[m.style.id]]
    notes = []
    if not answers.wishes:
        notes.append(_("You wrote no wishes: the styles are matched on your answers only."))
    elif detect_language(answers.wishes).code == OTHER:
        notes.append(
            _(
                "Your wishes seem to be in another language: the advisor reads English, "
                "French, Russian and Arabic best, so check the styles below."
            )
        )
    if not doable:
        notes.append(
            _("This salon offers no service for these styles yet: here are the styles alone.")
        )
        chosen = ranked[:limit]
    else:
        chosen = doable[:limit]
    return Advice(
        business=business,
        answers=answers,
        suggestions=[Suggestion(match=m, offers=offers[m.style.id]) for m in chosen],
        notes=notes,
    )
