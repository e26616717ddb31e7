"""The client's wallet: credit, points, expiry, badges."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.loyalty import selectors


@login_required
def wallet(request):
    now = timezone.now()
    with scopes_disabled():
        balances = selectors.wallet_balances(user=request.user, now=now)
        history = selectors.wallet_history(user=request.user, limit=50)
    context = {
        "balances": balances,
        "history": history,
        "now": now,
        "points": selectors.points_summaries(user=request.user, now=now),
        "points_history": selectors.points_history(user=request.user, limit=50),
        "badges": selectors.badges_of(user=request.user),
    }
    return render(request, "loyalty/client/wallet.html", context)
