"""For data migrations that move rows from an online account to the salon's
client card: the business's card for an account (historical models only),
found by account, then by e-mail, or created, like
`clients.services.client_card_for_booking`. Other apps' migrations import it."""


def historical_card_for(apps, cache: dict, business_id: int, user_id: int):
    key = (business_id, user_id)
    if key in cache:
        return cache[key]
    Client = apps.get_model("clients", "Client")
    User = apps.get_model("accounts", "User")
    cards = Client._base_manager.filter(business_id=business_id)
    card = cards.filter(user_id=user_id).first()
    if card is None:
        user = User._base_manager.get(pk=user_id)
        email = (user.email or "").strip().lower()
        card = cards.filter(user__isnull=True, email__iexact=email).first() if email else None
        if card is not None:
            card.user_id = user_id
            card.save(update_fields=["user"])
        else:
            taken = bool(email) and cards.filter(email__iexact=email).exists()
            parts = (getattr(user, "full_name", "") or "").split(None, 1) or [""]
            card = Client._base_manager.create(
                business_id=business_id,
                user_id=user_id,
                first_name=parts[0][:100],
                last_name=(parts[1] if len(parts) > 1 else "")[:100],
                email="" if taken else email,
                language=getattr(user, "language", "") or "",
            )
    cache[key] = card
    return card
