"""Reads of recommendations: services for a client, services and products often booked or
bought together, and home-care products for a client or an appointment, each with its
reasons in words.

The engine (`recommendations.engine`) is fitted per salon on its own past and cached for
the day until the salon's appointments change. A salon without visits gets nothing and a
note saying so, never a made-up suggestion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.booking.models import Appointment
from solibook.catalog.models import Business, Service
from solibook.clients.models import Client
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.finance.models import Product
from solibook.inventory.models import RecipeLine, VisitUsage
from solibook.recommendations import engine
from solibook.recommendations.history import (
    baskets,
    bookable_services,
    day_of,
    retail_products,
    visit_histories,
)

# Below this many visits the salon is "new": suggestions say they rest on little.
MIN_VISITS = 30


@dataclass(frozen=True)
class Suggestion:
    item: Service | Product
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    note: str = ""  # why there is little or nothing (a new salon, a new client)


@dataclass
class State:
    histories: engine.Histories
    ranker: engine.Ranker
    products: engine.ProductStatistics
    baskets: list[tuple[int, float, tuple[int, ...], tuple[int, ...]]]
    visits: int


def _fingerprint(business) -> str:
    row = Appointment.objects.filter(business=business).aggregate(
        n=Count("id"), t=Max("updated_at")
    )
    stamp = row["t"].timestamp() if row["t"] else 0
    return f"{row['n']}:{stamp}"


def build_state(*, business, now: datetime) -> State:
    histories = visit_histories(business=business, now=now)
    services = bookable_services(business=business)
    cutoff = day_of(now)
    ranker = engine.fit(histories, cutoff, services)
    bought = baskets(business=business, now=now)
    catalogue = [(p.pk, p.category) for p in retail_products(business=business)]
    per_service = {s: float(ranker.stats.counts[i]) for s, i in ranker.stats.index.items()}
    products = engine.product_statistics(bought, cutoff, catalogue, per_service, histories)
    visits = sum(len(v) for v in histories.visits.values())
    return State(histories, ranker, products, bought, visits)


def state_of(*, business, now: datetime) -> State:
    with business_scope(business):
        key = f"recommendations:{business.pk}:{now.date()}:{_fingerprint(business)}"
        found = cache.get(key)
        if found is None:
            found = build_state(business=business, now=now)
            cache.set(key, found, 6 * 3600)
    return found


def _new_salon_note() -> str:
    return _("The salon has too few visits yet for personal suggestions.")


# --- services -------------------------------------------------------------------------


def _service_reasons(state: State, x: np.ndarray, i: int, names: dict[int, str], had: list[int]):
    stats = state.ranker.stats
    reasons: list[str] = []
    if x[i, 0] > 0:
        if x[i, 2] >= 1:
            reasons.append(_("Due again, going by your usual interval"))
        else:
            reasons.append(_("One of your usual services"))
    if x[i, 3] > 0.05 and had:
        best = max(had, key=lambda s: stats.cosine[i, stats.index[s]])
        if best != stats.services[i] and stats.cosine[i, stats.index[best]] > 0:
            reasons.append(
                _("Clients who book %(service)s also book it") % {"service": names.get(best, "")}
            )
    if x[i, 4] > 0.3:
        reasons.append(_("Often chosen by clients with your hair type"))
    if x[i, 5] > 0.3:
        reasons.append(_("Often chosen by clients with your skin type"))
    if not reasons:
        reasons.append(_("Popular at the salon"))
    return reasons


def services_for_client(
    *, business, client, now: datetime, limit: int = 5, online_only: bool = False
) -> Suggestions:
    """The services to suggest to the card `client`, best first, with their reasons."""
    state = state_of(business=business, now=now)
    if state.visits < MIN_VISITS:
        return Suggestions([], _new_salon_note())
    stats = state.ranker.stats
    visits = state.histories.before(client.pk, day_of(now))
    hair = (client.hair_type or "").strip().lower()
    skin = (client.skin_type or "").strip().lower()
    x = engine.features(stats, visits, hair, skin, day_of(now))
    scores = x @ state.ranker.weights
    with business_scope(business):
        rows = Service.objects.filter(business=business, pk__in=stats.services, is_active=True)
        if online_only:
            rows = rows.filter(bookable_online=True)
        objects = {s.pk: s for s in rows}
    names = {pk: s.name for pk, s in objects.items()}
    had = sorted({s for v in visits for s in v.services if s in stats.index})
    found: list[Suggestion] = []
    for i in np.argsort(-scores, kind="stable"):
        service_id = stats.services[i]
        if service_id in objects and stats.counts[i] > 0:
            reasons = _service_reasons(state, x, int(i), names, had)
            found.append(Suggestion(objects[service_id], float(scores[i]), reasons))
        if len(found) == limit:
            break
    note = "" if visits else _("No visits on this card yet: suggestions from the salon's clients.")
    return Suggestions(found, note)


def booked_together(
    *, business, service, now: datetime, limit: int = 3, online_only: bool = True
) -> Suggestions:
    """Services most often booked in the same visit as `service` (in at least 3 visits)."""
    state = state_of(business=business, now=now)
    stats = state.ranker.stats
    ids = engine.together_top(stats, service.pk, limit + 3)
    if not ids:
        return Suggestions([], _("Not booked together with other services often enough yet."))
    with business_scope(business):
        rows = Service.objects.filter(business=business, pk__in=ids, is_active=True)
        if online_only:
            rows = rows.filter(bookable_online=True)
        objects = {s.pk: s for s in rows}
    i = stats.index[service.pk]
    found: list[Suggestion] = []
    for service_id in ids:
        if service_id in objects and len(found) < limit:
            n = int(stats.together[i, stats.index[service_id]])
            share = round(100 * n / max(stats.counts[i], 1))
            reason = ngettext(
                "Booked together in %(n)s visit (%(share)s%%)",
                "Booked together in %(n)s visits (%(share)s%%)",
                n,
            ) % {"n": n, "share": share}
            found.append(Suggestion(objects[service_id], float(n), [reason]))
    return Suggestions(found)


# --- home-care products ---------------------------------------------------------------


def _context(business, service_ids: set[int], client) -> tuple[set[str], set[int], set[str]]:
    """The tags of the services and the card, the retail products the masters use in these
    services (recipes), and the tags of the professional ones."""
    tags: set[str] = set()
    for slug, parent in Service.objects.filter(business=business, pk__in=service_ids).values_list(
        "category__slug", "category__parent__slug"
    ):
        tags |= engine.tokens(slug or "") | engine.tokens(parent or "")
    if client is not None:
        tags |= engine.tokens(client.hair_type or "") | engine.tokens(client.skin_type or "")
    used: set[int] = set()
    used_tags: set[str] = set()
    for product_id, kind, category in RecipeLine.objects.filter(
        business=business, service_id__in=service_ids
    ).values_list("product_id", "product__kind", "product__category"):
        used.add(product_id)
        if kind != Product.Kind.RETAIL:
            used_tags |= engine.tokens(category)
    return tags, used, used_tags


def _product_reasons(signals, i, names_of_services, best_service) -> list[str]:
    reasons = []
    if signals["bought_with"][i] > 0.02 and best_service:
        reasons.append(
            _("Often bought with %(service)s") % {"service": names_of_services[best_service]}
        )
    if signals["master_used"][i] > 0:
        reasons.append(_("What the master uses for your services"))
    if signals["rebuy"][i] > 0:
        reasons.append(_("You bought it before"))
    if signals["tags"][i] > 0:
        reasons.append(_("Made for your services or your hair and skin"))
    if signals["card"][i] > 0.3:
        reasons.append(_("Popular with clients like you"))
    if not reasons:
        reasons.append(_("Popular at the salon"))
    return reasons


def products_for(
    *, business, now: datetime, client=None, appointment=None, limit: int = 3
) -> Suggestions:
    """Home-care products for a card (its history) and/or an appointment (its services and
    what the master used in it), best first, with their reasons."""
    state = state_of(business=business, now=now)
    stats = state.products
    if not stats.products:
        return Suggestions([], _("The salon sells no home-care products yet."))
    if state.visits < MIN_VISITS:
        return Suggestions([], _new_salon_note())
    services: Counter = Counter()
    bought: Counter = Counter()
    if client is not None:
        for visit in state.histories.before(client.pk, day_of(now)):
            services.update(set(visit.services))
        for card, day, _s, products in state.baskets:
            if card == client.pk and day <= day_of(now):
                bought.update(products)
    with business_scope(business):
        if appointment is not None:
            for s in appointment.items.values_list("service_id", flat=True):
                services[s] += max(sum(services.values()), 1)
        tags, used, used_tags = _context(business, set(services), client)
        if appointment is not None:
            used |= set(
                VisitUsage.objects.filter(appointment=appointment).values_list(
                    "product_id", flat=True
                )
            )
        hair = (client.hair_type or "").strip().lower() if client is not None else ""
        skin = (client.skin_type or "").strip().lower() if client is not None else ""
        signals = engine.product_features(stats, services, bought, hair, skin, tags, used)
        signals["master_used"] = np.maximum(
            signals["master_used"],
            np.asarray([0.5 if t & used_tags else 0.0 for t in stats.tags]),
        )
        scores = engine.product_scores(signals)
        objects = {
            p.pk: p
            for p in Product.objects.filter(
                business=business, pk__in=stats.products, is_active=True
            )
        }
        names = dict(
            Service.objects.filter(business=business, pk__in=list(services)).values_list(
                "pk", "name"
            )
        )
    found: list[Suggestion] = []
    for i in np.argsort(-scores, kind="stable"):
        product_id = stats.products[i]
        if product_id not in objects:
            continue
        best = max(
            (s for s in services if s in stats.with_service and s in names),
            key=lambda s: stats.with_service[s][i],
            default=None,
        )
        reasons = _product_reasons(signals, int(i), names, best)
        found.append(Suggestion(objects[product_id], float(scores[i]), reasons))
        if len(found) == limit:
            break
    return Suggestions(found)


def products_with_service(*, business, service, now: datetime, limit: int = 3) -> Suggestions:
    """Home-care products most often bought at the checkout of a visit with `service`."""
    state = state_of(business=business, now=now)
    stats = state.products
    shares = stats.with_service.get(service.pk)
    if shares is None or not shares.any():
        return Suggestions([], _("No product bought with this service yet."))
    with business_scope(business):
        objects = {
            p.pk: p
            for p in Product.objects.filter(
                business=business, pk__in=stats.products, is_active=True
            )
        }
    found: list[Suggestion] = []
    for i in np.argsort(-shares, kind="stable"):
        if shares[i] <= 0 or len(found) == limit:
            break
        product_id = stats.products[i]
        if product_id in objects:
            reason = _("Bought by %(share)s%% of the clients at this service") % {
                "share": max(1, round(100 * shares[i]))
            }
            found.append(Suggestion(objects[product_id], float(shares[i]), [reason]))
    return Suggestions(found)


# --- what the other areas' pages show ------------------------------------------------


def booked_together_for(
    *, business, service_ids: list[int], now: datetime, limit: int = 3, online_only: bool = True
) -> list[Suggestion]:
    """For the wizard: services often booked with any of `service_ids`, not already chosen,
    best first (online-bookable only)."""
    if not service_ids:
        return []
    with business_scope(business):
        chosen = list(Service.objects.filter(business=business, pk__in=service_ids, is_active=True))
    best: dict[int, Suggestion] = {}
    for service in chosen:
        for suggestion in booked_together(
            business=business,
            service=service,
            now=now,
            limit=limit + len(service_ids),
            online_only=online_only,
        ).items:
            pk = suggestion.item.pk
            if pk not in service_ids and (pk not in best or suggestion.score > best[pk].score):
                best[pk] = suggestion
    return sorted(best.values(), key=lambda s: -s.score)[:limit]


@dataclass(frozen=True)
class ForAccount:
    business: Business
    location_id: int | None
    services: Suggestions
    products: Suggestions


def suggestions_for_account(*, user, now: datetime, salons: int = 3) -> list[ForAccount]:
    """For the client's account: at each salon where `user` has a card with a visit (the
    most recent first), services to book online and home-care products."""
    if not getattr(user, "is_authenticated", False):
        return []
    with scopes_disabled():
        cards = list(
            Client.objects.filter(user=user, erased_at__isnull=True)
            .select_related("business")
            .order_by("-updated_at")
        )
        last = dict(
            Appointment.objects.filter(client_card__in=cards)
            .order_by("starts_at")
            .values_list("client_card_id", "location_id")
        )
    found: list[ForAccount] = []
    for card in cards:
        if card.pk not in last or len(found) == salons:
            continue
        services = services_for_client(
            business=card.business, client=card, now=now, limit=3, online_only=True
        )
        products = products_for(business=card.business, client=card, now=now, limit=2)
        if services.items or products.items:
            found.append(ForAccount(card.business, last[card.pk], services, products))
    return found


def for_visit(
    *, business, appointment, now: datetime, limit: int = 3
) -> tuple[Suggestions, Suggestions]:
    """For the master's view of a visit: services to suggest (often booked with this visit's
    services, then the card's own suggestions), and home-care products for it."""
    with business_scope(business):
        in_visit = list(appointment.items.values_list("service_id", flat=True))
        card = appointment.client_card
    picked = booked_together_for(
        business=business, service_ids=in_visit, now=now, limit=limit, online_only=False
    )
    note = ""
    if card is not None and len(picked) < limit:
        personal = services_for_client(business=business, client=card, now=now, limit=limit + 5)
        note = personal.note
        seen = {s.item.pk for s in picked} | set(in_visit)
        picked += [s for s in personal.items if s.item.pk not in seen][: limit - len(picked)]
    products = products_for(business=business, now=now, client=card, appointment=appointment)
    return Suggestions(picked, note), products
