"""Patch tests and consultations live on the client card only (issue #15,
point 3: booking's duplicates on the account were merged into the card's).
An online client's requirements are read from their card at the salon; a
consultation counts once approved."""

import pytest
from django_scopes import scopes_disabled

from solibook.booking.selectors import ItemSpec
from solibook.clients.models import ConsultationAnswer, ConsultationForm
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import ValidationFailed
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def test_a_consultation_on_the_accounts_card_counts_once_approved(salon):
    with scopes_disabled():
        salon.colour.requires_consultation = True
        salon.colour.save()
        form = ConsultationForm.objects.create(
            business=salon.business, service=salon.colour, name="Colour", questions=["Allergies?"]
        )
    user = UserFactory()
    specs = [ItemSpec(salon.colour.pk, master_id=salon.lea.pk)]
    with scopes_disabled():
        card = client_card_for_booking(business=salon.business, user=user)
        answer = ConsultationAnswer.objects.create(
            business=salon.business,
            client=card,
            form=form,
            answers=[{"question": "Allergies?", "answer": "None"}],
            approved=False,
        )
    with pytest.raises(ValidationFailed) as refused:
        book(salon, paris(10), specs, account=user)
    assert refused.value.code == "consultation_required"
    with scopes_disabled():
        ConsultationAnswer.objects.filter(pk=answer.pk).update(approved=True)
    assert book(salon, paris(10), specs, account=user).client_card_id == card.pk
