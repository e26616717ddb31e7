"""Gift-card pages: the list and the till's lookup (masked codes), the full
code shown to the seller right after the sale or a reissue (its PDF and the
message to the recipient), and the holder's balance page (public, rate-limited).

The server keeps no code (`services.giftcards`): right after a sale the seller's
session holds the codes issued, for `SHOWN_FOR` (the sale page, the PDF and
the send form read them there); afterwards a lost code is reissued.
"""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.finance.forms import GiftCardBalanceForm, GiftCardLookupForm, GiftCardSendForm
from solibook.finance.giftcard_pdf import gift_card_pdf
from solibook.finance.models import GiftCard
from solibook.finance.services import giftcards

TAKE = Capability.TAKE_PAYMENTS
MANAGE = Capability.MANAGE_PAYMENTS
VIEW = Capability.VIEW_FINANCE
SESSION_KEY = "finance_gift_codes"
SHOWN_FOR = 30 * 60  # seconds the seller's session keeps a code it was just given
RATE_WINDOW = 600


# --- the seller's session: the codes just issued ------------------------------------


def remember_codes(request, pairs) -> None:
    """Keep `(card_id, code)` pairs in the seller's session for `SHOWN_FOR`."""
    if not pairs:
        return
    now = time.time()
    kept = {
        key: value for key, value in request.session.get(SESSION_KEY, {}).items() if value[1] > now
    }
    for card_id, code in pairs:
        kept[str(card_id)] = [code, now + SHOWN_FOR]
    request.session[SESSION_KEY] = kept


def remember_sale(request, checkout) -> None:
    """Called by the till right after a sale: the cards it issued."""
    remember_codes(request, giftcards.issued_codes(checkout))


def shown_code(request, card_id: int) -> str:
    entry = request.session.get(SESSION_KEY, {}).get(str(card_id))
    if not entry or entry[1] <= time.time():
        return ""
    return entry[0]


def codes_shown(request, cards) -> list[dict]:
    """The cards among `cards` whose full code the seller may still see, with
    their send form."""
    rows = []
    for card in cards:
        code = shown_code(request, card.pk)
        if code:
            form = GiftCardSendForm(
                prefix=f"g{card.pk}", initial={"language": request.LANGUAGE_CODE}
            )
            rows.append({"card": card, "code": code, "form": form})
    return rows


def _card(request, card_id: int) -> GiftCard:
    card = GiftCard.objects.select_related("business").filter(pk=card_id).first()
    if card is None:
        raise Http404
    return card


def _back(request, card: GiftCard) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("finance:gift_card_code", args=[request.business.slug, card.pk])


def _reader(request) -> None:
    from django.core.exceptions import PermissionDenied

    if not (request.access.can(TAKE) or request.access.can(VIEW)):
        raise PermissionDenied


# --- back office ----------------------------------------------------------------------


@backoffice_view(Capability.VIEW_BACK_OFFICE)
def gift_cards(request):
    """The cards sold (masked), and the till's lookup by code."""
    _reader(request)
    form = GiftCardLookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        with refusals(form):
            found = giftcards.gift_card_lookup(
                business=request.business, code=form.cleaned_data["code"]
            )
    cards = list(GiftCard.objects.order_by("-created_at", "-id")[:100])
    response = render(
        request,
        "finance/office/gift_cards.html",
        {
            "form": form,
            "found": found,
            "movements": found.movements.order_by("created_at", "id") if found else [],
            "cards": cards,
            "can_reissue": request.access.can(MANAGE),
        },
    )
    add_never_cache_headers(response)
    return response


@backoffice_view(TAKE)
def gift_card_code(request, gift_card_id: int):
    """The full code, once: right after a sale (also on the sale page) or a reissue."""
    card = _card(request, gift_card_id)
    response = render(
        request,
        "finance/office/gift_card_code.html",
        {"card": card, "shown": codes_shown(request, [card])},
    )
    add_never_cache_headers(response)
    return response


@backoffice_view(TAKE)
def gift_card_pdf_view(request, gift_card_id: int):
    card = _card(request, gift_card_id)
    code = shown_code(request, card.pk)
    if not code:
        messages.error(
            request,
            _("The full code of this card is no longer shown: reissue the card to get a new one."),
        )
        return redirect("finance:gift_cards", request.business.slug)
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = request.LANGUAGE_CODE
    response = HttpResponse(
        gift_card_pdf(card, code, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="gift-card-{card.code_last4}.pdf"'
    add_never_cache_headers(response)
    return response


@require_POST
@backoffice_view(TAKE)
def gift_card_send(request, gift_card_id: int):
    card = _card(request, gift_card_id)
    form = GiftCardSendForm(request.POST, prefix=f"g{card.pk}")
    if form.is_valid():
        with refusals(request=request):
            giftcards.gift_card_send(
                business=request.business,
                card_id=card.pk,
                code=shown_code(request, card.pk),
                actor=request.user,
                **form.cleaned_data,
            )
            messages.success(
                request, _("Gift card sent to %(to)s.") % {"to": form.cleaned_data["to"]}
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_back(request, card))


@require_POST
@backoffice_view(MANAGE)
def gift_card_reissue(request, gift_card_id: int):
    card = _card(request, gift_card_id)
    with refusals(request=request):
        new = giftcards.gift_card_reissue(
            business=request.business, card_id=card.pk, actor=request.user
        )
        remember_codes(request, [(new.pk, new.code)])
        messages.success(
            request,
            _("Card …%(old)s is void; its balance is on a new card.") % {"old": card.code_last4},
        )
        return redirect("finance:gift_card_code", request.business.slug, new.pk)
    return redirect("finance:gift_cards", request.business.slug)


# --- public: the holder's balance -----------------------------------------------------


def _count(key: str) -> int:
    cache.add(key, 0, RATE_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return 1


def _too_many(request) -> bool:
    """Each look-up counts against the address: codes cannot be tried in bulk."""
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return _count(f"gift-card-balance:ip:{digest}") > getattr(
        settings, "GIFT_CARD_BALANCE_RATE_PER_IP", 20
    )


def gift_card_balance(request):
    form = GiftCardBalanceForm(request.POST or None)
    card = None
    status = 200
    if request.method == "POST":
        if _too_many(request):
            form = GiftCardBalanceForm()
            messages.error(
                request, _("Too many attempts from this address. Try again in a few minutes.")
            )
            status = 429
        elif form.is_valid():
            with refusals(form):
                card = giftcards.gift_card_balance(code=form.cleaned_data["code"])
    expired = card is not None and (card.expired or card.expires_at <= timezone.now())
    response = render(
        request,
        "finance/public/gift_card_balance.html",
        {"form": form, "card": card, "card_expired": expired},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(RATE_WINDOW)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
