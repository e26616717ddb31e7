"""One client card per person per business.

Concurrent first bookings of one new client used to leave several cards for
the same person. Before the unique indexes are built, the cards that share a
user, an E.164 phone or an e-mail (case-insensitive) inside one business are
merged into the oldest of them, as `clients.services.client_merge` does: the
visits, notes, consents, patch tests, consultation answers and tags move over,
empty fields take the duplicate's values, the duplicate is removed. Each merge
is written to the audit log (action `client.merge`, actor none).
"""

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Lower

FILLED = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "language",
    "birthday",
    "gender",
    "hair_type",
    "skin_type",
    "allergies",
    "source",
    "preferred_master_id",
    "user_id",
)


def _groups(cards) -> list[list]:
    """Cards linked by a shared user, phone or e-mail (transitively), oldest first."""
    parent = {card.pk: card.pk for card in cards}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    seen: dict[tuple, int] = {}
    for card in cards:
        keys = []
        if card.user_id:
            keys.append(("user", card.user_id))
        if str(card.phone or ""):
            keys.append(("phone", str(card.phone)))
        if card.email:
            keys.append(("email", card.email.lower()))
        for key in keys:
            if key in seen:
                a, b = root(seen[key]), root(card.pk)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                seen[key] = card.pk
    groups: dict[int, list] = {}
    for card in cards:
        groups.setdefault(root(card.pk), []).append(card)
    return [sorted(group, key=lambda c: c.pk) for group in groups.values() if len(group) > 1]


def merge_duplicates(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Appointment = apps.get_model("booking", "Appointment")
    AuditEvent = apps.get_model("core", "AuditEvent")
    moved_models = [
        apps.get_model("clients", name)
        for name in ("ClientNote", "ClientConsent", "ClientPatchTest", "ConsultationAnswer")
    ]
    through = Client.tags.through
    duplicated = (
        Client.objects.filter(erased_at__isnull=True)
        .values_list("business_id", flat=True)
        .distinct()
    )
    for business_id in list(duplicated):
        cards = list(
            Client.objects.filter(business_id=business_id, erased_at__isnull=True).order_by("pk")
        )
        for group in _groups(cards):
            target, duplicates = group[0], group[1:]
            for duplicate in duplicates:
                for name in FILLED:
                    if not getattr(target, name) and getattr(duplicate, name):
                        setattr(target, name, getattr(duplicate, name))
                if duplicate.notes and duplicate.notes not in target.notes:
                    target.notes = f"{target.notes}\n{duplicate.notes}".strip()
                target.custom_values = {**duplicate.custom_values, **target.custom_values}
                Appointment.objects.filter(client_card_id=duplicate.pk).update(
                    client_card_id=target.pk
                )
                for model in moved_models:
                    model.objects.filter(client_id=duplicate.pk).update(client_id=target.pk)
                tag_ids = set(
                    through.objects.filter(client_id=duplicate.pk).values_list(
                        "clienttag_id", flat=True
                    )
                ) - set(
                    through.objects.filter(client_id=target.pk).values_list(
                        "clienttag_id", flat=True
                    )
                )
                through.objects.bulk_create(
                    [through(client_id=target.pk, clienttag_id=t) for t in tag_ids]
                )
                duplicate_pk = duplicate.pk
                duplicate.delete()
                _audit(AuditEvent, business_id, target.pk, duplicate_pk)
            # Values taken from a duplicate may differ from the target's own
            # only where the target had none; the group shares every key.
            target.save()


def _audit(AuditEvent, business_id, target_pk, duplicate_pk) -> None:
    AuditEvent.objects.create(
        business_id=business_id,
        action="client.merge",
        object_type="clients.client",
        object_id=str(target_pk),
        data={"merged": duplicate_pk, "by": "migration clients.0002"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_initial"),
        ("core", "0001_initial"),
        ("booking", "0008_appointment_deposit_amount_appointment_policy_and_more"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                fields=("business", "user"),
                condition=Q(user__isnull=False),
                name="client_unique_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                fields=("business", "phone"),
                condition=~Q(phone=""),
                name="client_unique_phone",
            ),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                models.F("business"),
                Lower("email"),
                condition=~Q(email=""),
                name="client_unique_email",
            ),
        ),
    ]
