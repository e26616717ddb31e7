"""One meaning per word (issue #15, point 3; docs/architecture.md, "Naming"):
`client` is the salon's client card (`clients.Client`), `account` the person's
online login (the user model). A field named `client` that points at the user
model is how the code came to hold two patch-test models and two consultation
models; this keeps it from coming back."""

from django.apps import apps
from django.conf import settings

CLIENT_NAMES = {"client", "clients"}
ACCOUNT_NAMES = {"account", "accounts"}


def _card_model():
    return apps.get_model("clients", "Client")


def _relations():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model is None:
                continue
            yield model, field, field.related_model, user_model


def test_no_field_named_client_points_at_an_account():
    wrong = [
        f"{model._meta.label}.{field.name}"
        for model, field, target, user_model in _relations()
        if field.name in CLIENT_NAMES and target is user_model
    ]
    assert wrong == [], (
        "`client` is the salon's client card; name a link to the user model `account`: "
        + ", ".join(wrong)
    )


def test_no_field_named_account_points_at_a_client_card():
    wrong = [
        f"{model._meta.label}.{field.name}"
        for model, field, target, _user_model in _relations()
        if field.name in ACCOUNT_NAMES and target is _card_model()
    ]
    assert wrong == [], (
        "`account` is the person's online login; name a link to a client card `client`: "
        + ", ".join(wrong)
    )


def test_client_cards_are_named_client_where_the_name_says_client():
    """A field named `client` points at a card (or at a model of the clients app)."""
    wrong = [
        f"{model._meta.label}.{field.name} -> {target._meta.label}"
        for model, field, target, _user_model in _relations()
        if field.name in CLIENT_NAMES and target is not _card_model()
    ]
    assert wrong == []


def test_patch_tests_and_consultations_live_on_the_card_only():
    """The duplicates the two meanings produced (`booking.PatchTest`, a second
    consultation model) are merged into the clients app's models."""
    labels = {model._meta.label for model in apps.get_models()}
    kept = {"clients.ClientPatchTest", "clients.ConsultationForm", "clients.ConsultationAnswer"}
    assert kept <= labels
    duplicates = sorted(
        label
        for label in labels - kept
        if "patchtest" in label.lower() or "consultation" in label.lower()
    )
    assert duplicates == []
