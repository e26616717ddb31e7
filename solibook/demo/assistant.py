"""Demo conversations with the virtual consultant (issue #21, point 6), in
French, English, Russian and Arabic, written through the assistant's own
services (the real dialogue answers): questions about prices, hours and the
address, and one hand-over that the salon's receptionist took over and
answered, so the back office's inbox shows every state."""

from datetime import datetime

from solibook.accounts.models import User
from solibook.assistant import services as assistant

# (salon, language, client's e-mail or None for a guest, what the client says, staff answer)
CONVERSATIONS = [
    (
        "Atelier Lumière",
        "fr",
        "client@solibook.demo",
        ["Bonjour", "Quels sont vos horaires ?", "Merci !"],
        "",
    ),
    (
        "Atelier Lumière",
        "en",
        None,
        ["Hi! Where are you located?", "Can I talk to a person please?"],
        "Hello, this is Julie from the front desk: how can I help you?",
    ),
    (
        "Салон красоты «Жемчуг»",
        "ru",
        "client.moscow@solibook.demo",
        ["Здравствуйте", "Какие у вас правила отмены?", "Спасибо"],
        "",
    ),
    ("صالون لمسة ورد", "ar", "client.riyadh@solibook.demo", ["مرحبا", "ما هو عنوانكم؟"], ""),
]


def seed_assistant(catalogues: dict, *, owners: dict, now: datetime) -> int:
    """Returns how many conversations were written."""
    written = 0
    for salon, language, email, lines, staff_answer in CONVERSATIONS:
        catalogue = catalogues.get(salon)
        if catalogue is None:
            continue
        business = catalogue.business
        account = User.objects.filter(email=email).first() if email else None
        conversation = assistant.conversation_start(
            business=business, channel="web", language=language, account=account
        )
        for text in lines:
            assistant.assistant_reply(conversation=conversation, text=text, account=account)
        if staff_answer:
            assistant.staff_reply(
                business=business,
                conversation_id=conversation.pk,
                actor=owners[salon],
                text=staff_answer,
            )
        written += 1
    return written
