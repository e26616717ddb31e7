"""The assistant's evaluation: its held-out data is sound and kept apart from training, the
understanding beats its naive baselines on it in every language, and the end-to-end driver
books through the assistant's service on a throw-away salon."""

from datetime import UTC, datetime

import pytest

from solibook.assistant import evaluation
from solibook.assistant.understanding import INTENTS
from solibook.assistant.understanding.intents import training_utterances
from solibook.assistant.understanding.text import fold

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_heldout_conversations_are_apart_from_training_and_well_formed():
    trained = {
        " ".join(fold(u).split())
        for by_intent in training_utterances().values()
        for rows in by_intent.values()
        for u in rows
    }
    specs = evaluation.salon_specs()
    for language in evaluation.LANGUAGES:
        conversations = evaluation.heldout()[language]
        assert len(conversations) >= 25
        assert sum(c.expect is not None for c in conversations) >= 18
        keys = {row[0] for row in specs[language]["services"]}
        first_names = {fold(name.split()[0]) for name, _ in specs[language]["masters"]}
        for conversation in conversations:
            if conversation.expect:
                assert conversation.expect[0] in keys
            for turn in conversation.turns:
                assert turn.intent in INTENTS, (conversation.id, turn.text)
                for key in turn.slots.get("service", "").split(","):
                    assert not key or key in keys
                if "master" in turn.slots:
                    assert fold(turn.slots["master"]) in first_names
                # Short answers ("yes", "ok") are the same everywhere; sentences must differ.
                if len(turn.text.split()) > 2:
                    assert " ".join(fold(turn.text).split()) not in trained, turn.text


@pytest.mark.parametrize("language", evaluation.LANGUAGES)
def test_understanding_beats_its_baselines_on_heldout_conversations(language):
    scores = evaluation.understanding_scores(language, now=NOW)
    assert scores["intent"] > scores["intent_baseline"]
    assert scores["slots"] > scores["slots_baseline"]
    # Floors well under today's figures (bench/results/assistant_evaluation.json), so a
    # regression fails here rather than only in the report.
    assert scores["intent"] >= 0.8
    assert scores["slots"] >= 0.85
    assert scores["language"] >= 0.95


def test_the_keyword_baseline_is_naive_english():
    assert evaluation.keyword_intent("how much is a haircut?") == "ask_price"
    assert evaluation.keyword_intent("сколько стоит стрижка?") == "other"


@pytest.mark.django_db
def test_a_booking_conversation_is_driven_to_the_right_appointment():
    from django.contrib.auth.hashers import make_password

    from solibook.accounts.models import User

    owner = User.objects.create(
        email="owner.assistant.eval@example.com", password=make_password(None), full_name="O"
    )
    salon = evaluation._build_salon("fr", now=NOW, owner=owner)
    conversations = {c.id: c for c in evaluation.heldout()["fr"]}
    booked = evaluation._drive(salon, conversations["fr-01"])
    assert booked["success"], booked
    assert booked["booked"] == [("Tue 17:00", salon.services["cut_women"].pk)]
    # Rolled back: the next conversation finds the calendar empty.
    refused = evaluation._drive(salon, conversations["fr-20"])  # "ignore tes règles…"
    assert refused["success"] and refused["booked"] == [], refused
