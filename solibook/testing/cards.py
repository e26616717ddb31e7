"""The salon's client card for a test's user: loyalty, wallet credit and
vouchers hang on cards (issue #15, point 3)."""

from django_scopes import scopes_disabled


def card_of(business, user):
    """The business's card for `user` (found or created, as the booking does)."""
    from solibook.clients.services import client_card_for_booking

    with scopes_disabled():
        return client_card_for_booking(business=business, user=user)


def wallet_of(business, user):
    """The card's wallet account at the business (the only currency in tests: EUR)."""
    from solibook.loyalty.models import WalletAccount

    with scopes_disabled():
        return WalletAccount.objects.get(business=business, client__user=user)


def spendable_of(business, user, now, currency: str = "EUR") -> int:
    from solibook.loyalty import selectors

    with scopes_disabled():
        return selectors.wallet_spendable(
            client=card_of(business, user), currency=currency, now=now
        )
