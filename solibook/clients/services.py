"""Every write to client cards. Pages, the API, the booking service and the
importer call these functions; each validates, writes in a transaction and
logs sensitive actions (merge, erasure, export, consent) to the audit log."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.catalog.models import Master, Service
from solibook.clients.models import (
    Client,
    ClientConsent,
    ClientNote,
    ClientPatchTest,
    ClientSource,
    ClientTag,
    ConsentKind,
    ConsultationAnswer,
    ConsultationForm,
    CustomFieldDefinition,
    CustomFieldKind,
    Gender,
    Segment,
)
from solibook.clients.phones import to_e164
from solibook.clients.selectors import active_clients, find_card
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed, refuse, refuse_fields
from solibook.core.outbox import outbox_emit
from solibook.core.validators import normalise_name, validate_name

CARD_FIELDS = (
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
    "notes",
)
NAME_FIELDS = ("first_name", "last_name")
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "hair_type": 100,
    "skin_type": 100,
    "allergies": 2000,
    "notes": 5000,
    "language": 8,
}


def name_errors(value: str) -> list[str]:
    """`core.validators.validate_name`'s refusal of a person's name, as messages
    (names of invisible characters, direction overrides or only spaces)."""
    try:
        validate_name(value)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


def clean_card_values(
    *, business, data: dict, partial: bool = False
) -> tuple[dict, dict[str, list[str]]]:
    """Check and normalise card values; returns (clean values, errors per field)."""
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for name in CARD_FIELDS:
        if name not in data:
            continue
        value = data[name]
        value = "" if value is None and name != "birthday" else value
        if name in NAME_FIELDS:
            problems = name_errors(str(value))
            if problems:
                errors[name] = problems
                continue
            value = normalise_name(str(value))
        if name in MAX_LENGTHS:
            value = str(value).strip()
            if len(value) > MAX_LENGTHS[name]:
                errors[name] = [_("At most %(n)d characters.") % {"n": MAX_LENGTHS[name]}]
                continue
        if name == "email":
            value = str(value).strip().lower()
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    errors[name] = [_("Enter a valid e-mail address.")]
                    continue
        elif name == "phone":
            raw = str(value).strip()
            value = ""
            if raw:
                value = to_e164(raw, region=business.country) or ""
                if not value:
                    errors[name] = [
                        _("“%(phone)s” is not a valid phone number.") % {"phone": raw[:40]}
                    ]
                    continue
        elif name == "birthday":
            if value in ("", None):
                value = None
            elif isinstance(value, str):
                try:
                    value = date.fromisoformat(value.strip())
                except ValueError:
                    errors[name] = [_("Enter a date as YYYY-MM-DD.")]
                    continue
            if value is not None and not (date(1900, 1, 1) <= value <= timezone.localdate()):
                errors[name] = [_("Enter a real birthday.")]
                continue
        elif name == "gender" and value not in Gender.values:
            errors[name] = [_("Choose a valid gender.")]
            continue
        elif name == "source" and value and value not in ClientSource.values:
            errors[name] = [_("Choose a valid source.")]
            continue
        elif name == "language" and value and value not in dict(settings.LANGUAGES):
            errors[name] = [_("Choose a valid language.")]
            continue
        clean[name] = value
    if "preferred_master_id" in data:
        master_id = data["preferred_master_id"]
        if master_id in ("", None):
            clean["preferred_master"] = None
        elif not Master.objects.filter(business=business, pk=master_id).exists():
            errors["preferred_master_id"] = [_("No such master.")]
        else:
            clean["preferred_master_id"] = int(master_id)
    if "custom_values" in data:
        values, problems = clean_custom_values(
            business=business, values=data["custom_values"] or {}
        )
        clean["custom_values"] = values
        errors.update(problems)
    if not partial and not any(clean.get(k) for k in ("first_name", "last_name", "email", "phone")):
        errors.setdefault("first_name", []).append(_("Enter a name, a phone number or an e-mail."))
    return clean, errors


def clean_custom_values(*, business, values: dict) -> tuple[dict, dict[str, list[str]]]:
    if not isinstance(values, dict):
        return {}, {"custom_values": [_("Custom fields must be an object.")]}
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(business=business)}
    clean, errors = {}, {}
    for key, value in values.items():
        definition = definitions.get(key)
        field = f"custom_values.{key}"
        if definition is None:
            errors[field] = [_("No such custom field.")]
            continue
        if value in ("", None):
            continue
        if definition.kind == CustomFieldKind.NUMBER:
            try:
                value = float(str(value).replace(",", "."))
            except ValueError:
                errors[field] = [_("Enter a number.")]
                continue
        elif definition.kind == CustomFieldKind.DATE:
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[field] = [_("Enter a date as YYYY-MM-DD.")]
                continue
        elif definition.kind == CustomFieldKind.YES_NO:
            if isinstance(value, str):
                value = value.lower() in ("1", "true", "yes", "on")
            value = bool(value)
        elif definition.kind == CustomFieldKind.CHOICE:
            if str(value) not in definition.choices:
                errors[field] = [_("Choose one of the offered values.")]
                continue
            value = str(value)
        else:
            value = str(value)[:500]
        clean[key] = value
    return clean, errors


def _apply(client: Client, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(client, name) != value:
            setattr(client, name, value)
            changed.append(name.removesuffix("_id"))
    return changed


SENSITIVE_FIELDS = ("phone", "email", "allergies", "notes")


def client_card_viewed(*, business, actor, client: Client, fields, via: str) -> None:
    """Who opened which sensitive fields of a card (allergies, notes, contacts),
    when, through the page or the API (issue #15, point 7): to the audit log."""
    shown = [f for f in fields if getattr(client, f, None)]
    if shown:
        audit_log(
            action="client.viewed",
            actor=actor,
            business=business,
            obj=client,
            data={"fields": shown, "via": via},
        )


def client_create(*, business, actor, data: dict, tags: list[str] | None = None) -> Client:
    values, errors = clean_card_values(business=business, data=data)
    if errors:
        refuse_fields(errors)
    _refuse_taken_contacts(business=business, values=values)
    with transaction.atomic():
        client = Client(business=business, **values)
        _save_card(client)
        if tags is not None:
            client_tags_set(business=business, client=client, names=tags, actor=actor)
        audit_log(action="client.create", actor=actor, business=business, obj=client)
        # For partners' webhooks (developers), delivered after commit from the outbox.
        outbox_emit(topic="client.created", business=business, payload={"client_id": client.pk})
    return client


def client_update(
    *, business, client: Client, actor, data: dict, tags: list[str] | None = None
) -> Client:
    _live(client)
    values, errors = clean_card_values(business=business, data=data, partial=True)
    if errors:
        refuse_fields(errors)
    _refuse_taken_contacts(business=business, values=values, card=client)
    with transaction.atomic():
        changed = _apply(client, values)
        if not any(getattr(client, k) for k in ("first_name", "last_name", "email", "phone")):
            refuse(_("Enter a name, a phone number or an e-mail."), "first_name")
        if changed:
            _save_card(client)
        if tags is not None:
            client_tags_set(business=business, client=client, names=tags, actor=actor)
        audit_log(
            action="client.update",
            actor=actor,
            business=business,
            obj=client,
            data={"fields": changed},
        )
        if changed:  # for partners' webhooks (developers)
            outbox_emit(
                topic="client.updated",
                business=business,
                payload={"client_id": client.pk, "fields": sorted(changed)},
            )
    return client


def _taken_contacts(*, business, values: dict, card: Client | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    others = active_clients(business=business)
    if card is not None and card.pk:
        others = others.exclude(pk=card.pk)
    if values.get("phone") and others.filter(phone=values["phone"]).exists():
        errors["phone"] = [_("Another client card has this phone number.")]
    email = (values.get("email") or "").lower()
    if email and others.annotate(email_ci=Lower("email")).filter(email_ci=email).exists():
        errors["email"] = [_("Another client card has this e-mail address.")]
    return errors


def _refuse_taken_contacts(*, business, values: dict, card: Client | None = None) -> None:
    """One card per person: a phone or e-mail of another card of the business
    is refused (merge the cards instead). The unique indexes back this up."""
    errors = _taken_contacts(business=business, values=values, card=card)
    if errors:
        refuse_fields(errors)


def _save_card(client: Client) -> None:
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            client.save()
    except IntegrityError as exc:
        # Another request took the phone or e-mail between the check and the write.
        values = {"phone": str(client.phone or ""), "email": client.email}
        errors = _taken_contacts(business=client.business, values=values, card=client)
        raise ValidationFailed(
            _("Another client card has this phone number or e-mail address."),
            code="duplicate_client",
            fields=errors or None,
        ) from exc


def _live(client: Client) -> None:
    if client.erased_at is not None:
        raise ValidationFailed(_("This client's data was erased."), code="erased")


def client_tags_set(*, business, client: Client, names: list[str], actor=None) -> list[ClientTag]:
    clean = []
    for name in names:
        name = str(name).strip()[:50]
        if name and name.lower() not in {n.lower() for n in clean}:
            clean.append(name)
    if len(clean) > 30:
        refuse(_("At most 30 tags."), "tags")
    tags = []
    for name in clean:
        tag = (
            ClientTag.objects.annotate(lname=Lower("name"))
            .filter(business=business, lname=name.lower())
            .first()
        )
        tags.append(tag or ClientTag.objects.create(business=business, name=name))
    client.tags.set(tags)
    return tags


def client_note_add(*, business, client: Client, actor, text: str) -> ClientNote:
    _live(client)
    text = (text or "").strip()
    if not text:
        refuse(_("Write a note."), "text")
    if len(text) > 5000:
        refuse(_("At most %(n)d characters.") % {"n": 5000}, "text")
    return ClientNote.objects.create(
        business=business,
        client=client,
        author=actor if actor and actor.is_authenticated else None,
        text=text,
    )


def client_consent_record(
    *,
    business,
    client: Client,
    kind: str,
    granted: bool,
    actor=None,
    source: str = "back_office",
    at: datetime | None = None,
) -> ClientConsent:
    """Append a consent decision (the history stays)."""
    _live(client)
    if kind not in ConsentKind.values:
        refuse(_("Choose a valid consent."), "kind")
    with transaction.atomic():
        consent = ClientConsent.objects.create(
            business=business,
            client=client,
            kind=kind,
            granted=bool(granted),
            recorded_at=at or timezone.now(),
            source=str(source)[:50],
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_log(
            action="client.consent",
            actor=actor,
            business=business,
            obj=client,
            data={"kind": kind, "granted": bool(granted), "source": consent.source},
        )
    return consent


def client_patch_test_add(
    *,
    business,
    client: Client,
    actor,
    service_id: int,
    taken_at: date,
    valid_until: date,
    passed: bool = True,
) -> ClientPatchTest:
    _live(client)
    service = Service.objects.filter(business=business, pk=service_id).first()
    if service is None:
        refuse(_("No such service."), "service_id")
    if valid_until < taken_at:
        refuse(_("The end must be after the start."), "valid_until")
    return ClientPatchTest.objects.create(
        business=business,
        client=client,
        service=service,
        taken_at=taken_at,
        valid_until=valid_until,
        passed=passed,
        recorded_by=actor if actor and actor.is_authenticated else None,
    )


def consultation_form_save(
    *,
    business,
    actor,
    name: str,
    questions: list[str],
    service_id: int | None = None,
    form: ConsultationForm | None = None,
) -> ConsultationForm:
    name = (name or "").strip()[:120]
    questions = [str(q).strip()[:300] for q in questions if str(q).strip()]
    errors = {}
    if not name:
        errors["name"] = [_("Enter a name.")]
    if not questions:
        errors["questions"] = [_("Add at least one question.")]
    if len(questions) > 50:
        errors["questions"] = [_("At most 50 questions.")]
    if service_id and not Service.objects.filter(business=business, pk=service_id).exists():
        errors["service_id"] = [_("No such service.")]
    if errors:
        refuse_fields(errors)
    form = form or ConsultationForm(business=business)
    form.name, form.questions, form.service_id = name, questions, service_id or None
    form.save()
    audit_log(action="client.consultation_form", actor=actor, business=business, obj=form)
    return form


def consultation_answer_add(
    *, business, client: Client, actor, form_id: int, answers: list[str]
) -> ConsultationAnswer:
    _live(client)
    form = ConsultationForm.objects.filter(business=business, pk=form_id, is_active=True).first()
    if form is None:
        refuse(_("No such consultation form."), "form_id")
    if not isinstance(answers, list) or len(answers) != len(form.questions):
        refuse(_("Answer every question."), "answers")
    rows = [
        {"question": q, "answer": str(a).strip()[:2000]}
        for q, a in zip(form.questions, answers, strict=True)
    ]
    return ConsultationAnswer.objects.create(
        business=business,
        client=client,
        form=form,
        answers=rows,
        recorded_by=actor if actor and actor.is_authenticated else None,
    )


# --- the booking service's hook ------------------------------------------------


def split_name(name: str) -> tuple[str, str]:
    parts = (name or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0][:100], (parts[1] if len(parts) > 1 else "")[:100]


def client_card_for_booking(
    *, business, user=None, name: str = "", phone: str = "", email: str = "", source: str = ""
) -> Client | None:
    """Find the card of the person being booked (by user, E.164 phone or
    e-mail), or create one. Runs inside the booking's transaction. None when
    nothing identifies the client.

    Concurrent first bookings of one new client all end on one card: the unique
    indexes on (business, user / phone / lower(e-mail)) refuse the second
    insert, which runs in a savepoint, and the card the first one wrote is read
    back instead."""
    if user is None and name and name_errors(name):
        # A guest's or a walk-in's name (an account's name was checked at sign-up).
        raise ValidationFailed(
            name_errors(name)[0], fields={"client_name": name_errors(name)}, code="invalid_name"
        )
    name = normalise_name(name or "")
    e164 = to_e164(phone, region=business.country) if phone else None
    email = (email or "").strip().lower()
    try:
        validate_email(email) if email else None
    except ValidationError:
        email = ""
    card = find_card(business=business, user=user, email=email, phone=e164 or "")
    if card is not None:
        _fill_card(business=business, card=card, user=user, phone=e164, email=email)
        return card
    first, last = split_name(name or (user.full_name if user else ""))
    if not (first or e164 or email or user):
        return None
    if user is not None:
        email = email or user.email
        e164 = e164 or (str(user.phone) if getattr(user, "phone", None) else None)
    try:
        with transaction.atomic():  # a savepoint: losing the race keeps the booking going
            return Client.objects.create(
                business=business,
                user=user,
                first_name=first,
                last_name=last,
                phone=e164 or "",
                email=email,
                language=getattr(user, "language", "") or "",
                source=_SOURCE_BY_BOOKING.get(source, ClientSource.OTHER if source else ""),
            )
    except IntegrityError:
        # Another booking created this person's card since `find_card` looked.
        card = find_card(business=business, user=user, email=email, phone=e164 or "")
        if card is None:
            raise
        _fill_card(business=business, card=card, user=user, phone=e164, email=email)
        return card


def _fill_card(*, business, card: Client, user, phone: str | None, email: str) -> None:
    """Complete a found card with what the booking knows (never overwriting)."""
    fill: dict = {}
    if (
        user is not None
        and card.user_id is None
        and not Client.objects.filter(business=business, user=user).exists()
    ):
        fill["user"] = user
    if phone and not card.phone:
        fill["phone"] = phone
    if email and not card.email:
        fill["email"] = email
    if not fill:
        return
    try:
        with transaction.atomic():
            Client.objects.filter(pk=card.pk).update(**fill)
    except IntegrityError:
        return  # another card holds that phone or e-mail (or user): leave this one as it is
    for field, value in fill.items():
        setattr(card, field, value)


def client_card_for_desk(
    *, business, client_card_id: int | None = None, name: str = "", phone: str = "", email: str = ""
) -> Client:
    """The card the front desk books: one of the business's own cards by id,
    or a new client's card found or created from the name and phone/e-mail.
    Never a platform account: no user is looked up, so the answer is the same
    whether or not someone with this phone or e-mail has signed up. A card id
    of another business is answered like an id that does not exist."""
    if client_card_id is not None:
        card = active_clients(business=business).filter(pk=client_card_id).first()
        if card is None:
            raise NotFound(_("No such client."), fields={"client_card_id": [_("No such client.")]})
        return card
    errors: dict[str, list[str]] = {}
    if name and name_errors(name):
        errors["client_name"] = name_errors(name)
    e164 = ""
    if (phone or "").strip():
        e164 = to_e164(phone, region=business.country) or ""
        if not e164:
            errors["client_phone"] = [
                _("“%(phone)s” is not a valid phone number.") % {"phone": phone.strip()[:40]}
            ]
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["client_email"] = [_("Enter a valid e-mail address.")]
    if not errors and not (normalise_name(name or "") or e164 or email):
        errors["client_name"] = [_("Choose a client card or enter the client's name.")]
    if errors:
        refuse_fields(errors)
    card = client_card_for_booking(
        business=business, name=name, phone=e164, email=email, source="back_office"
    )
    assert card is not None  # a name, a phone or an e-mail was given
    return card


_SOURCE_BY_BOOKING = {
    "marketplace": ClientSource.MARKETPLACE,
    "booking_link": ClientSource.BOOKING_LINK,
    "widget": ClientSource.WIDGET,
    "back_office": ClientSource.PHONE,
    "referral": ClientSource.REFERRAL,
    "partner": ClientSource.REFERRAL,
}


# --- merge and erasure ---------------------------------------------------------------


def client_merge(*, business, target: Client, duplicate: Client, actor) -> Client:
    """Fold `duplicate` into `target`: its visits, notes, consents, tests,
    answers and tags move over; empty fields of `target` take its values;
    the duplicate card is removed. Audit-logged."""
    if target.pk == duplicate.pk:
        refuse(_("Choose two different cards."), "duplicate_id")
    if target.business_id != business.pk or duplicate.business_id != business.pk:
        raise NotFound(_("No such client."))
    _live(target)
    _live(duplicate)
    with transaction.atomic():
        # Lock both cards in id order so two merges of the same pair cannot interleave.
        locked = {
            c.pk: c
            for c in Client.objects.select_for_update()
            .filter(pk__in=[target.pk, duplicate.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise NotFound(_("No such client."))
        target, duplicate = locked[target.pk], locked[duplicate.pk]
        filled = []
        for name in (*CARD_FIELDS, "preferred_master_id", "user_id"):
            if not getattr(target, name) and getattr(duplicate, name):
                setattr(target, name, getattr(duplicate, name))
                filled.append(name)
        if duplicate.notes and duplicate.notes not in target.notes and "notes" not in filled:
            target.notes = f"{target.notes}\n{duplicate.notes}".strip()
        target.custom_values = {**duplicate.custom_values, **target.custom_values}
        # `Client.appointments`: the reverse of `booking.Appointment.client_card`
        # (clients sits below booking and does not import it).
        moved = duplicate.appointments.update(client_card=target)
        for model in (ClientNote, ClientConsent, ClientPatchTest, ConsultationAnswer):
            model.objects.filter(client=duplicate).update(client=target)
        target.tags.add(*duplicate.tags.all())
        user_id = duplicate.user_id
        duplicate_id = duplicate.pk
        duplicate.delete()
        if user_id and "user_id" in filled:
            target.user_id = user_id
        target.save()
        audit_log(
            action="client.merge",
            actor=actor,
            business=business,
            obj=target,
            data={"merged": duplicate_id, "appointments": moved, "filled": filled},
        )
    return target


def client_erase(*, business, client: Client, actor) -> None:
    """Anonymise a client (GDPR erasure): personal data leaves the card, its
    notes, answers and patch tests, and the client's appointments; the
    appointments and their amounts stay for the books. Audit-logged."""
    if client.business_id != business.pk:
        raise NotFound(_("No such client."))
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.erased_at is not None:
            return
        for name in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "gender",
            "hair_type",
            "skin_type",
            "allergies",
            "notes",
        ):
            setattr(client, name, "")
        client.birthday = None
        client.preferred_master = None
        client.custom_values = {}
        client.user = None
        client.erased_at = timezone.now()
        client.save()
        client.tags.clear()
        ClientNote.objects.filter(client=client).delete()
        ConsultationAnswer.objects.filter(client=client).delete()
        ClientPatchTest.objects.filter(client=client).delete()
        ClientConsent.objects.filter(client=client).update(source="", recorded_by=None)
        client.appointments.update(  # `booking.Appointment.client_card`'s reverse
            client_name="", client_phone="", client_email="", notes=""
        )
        audit_log(action="client.erase", actor=actor, business=business, obj=client)


# --- settings: custom fields, segments ---------------------------------------------


def custom_field_save(
    *,
    business,
    actor,
    label: str,
    kind: str,
    key: str = "",
    choices: list[str] | None = None,
    position: int = 0,
    field: CustomFieldDefinition | None = None,
) -> CustomFieldDefinition:
    from django.utils.text import slugify

    key = slugify(key or label)[:40].replace("-", "_")
    label = (label or "").strip()[:80]
    choices = [str(c).strip()[:80] for c in (choices or []) if str(c).strip()]
    errors = {}
    if not label:
        errors["label"] = [_("Enter a label.")]
    if not key:
        errors["key"] = [_("Enter a key of letters and digits.")]
    if kind not in CustomFieldKind.values:
        errors["kind"] = [_("Choose a valid type.")]
    if kind == CustomFieldKind.CHOICE and not choices:
        errors["choices"] = [_("Add at least one choice.")]
    clash = CustomFieldDefinition.objects.filter(business=business, key=key)
    if field is not None:
        clash = clash.exclude(pk=field.pk)
    if key and clash.exists():
        errors["key"] = [_("Another field has this key.")]
    if errors:
        refuse_fields(errors)
    field = field or CustomFieldDefinition(business=business)
    field.key, field.label, field.kind, field.choices, field.position = (
        key,
        label,
        kind,
        choices,
        max(0, min(int(position or 0), 1000)),
    )
    field.save()
    audit_log(
        action="client.custom_field", actor=actor, business=business, obj=field, data={"key": key}
    )
    return field


def custom_field_delete(*, business, actor, field: CustomFieldDefinition) -> None:
    audit_log(
        action="client.custom_field_delete",
        actor=actor,
        business=business,
        obj=field,
        data={"key": field.key},
    )
    field.delete()


def segment_save(
    *, business, actor, name: str, filters: dict, segment: Segment | None = None
) -> Segment:
    from solibook.clients.models import ClientTag as Tag

    name = (name or "").strip()[:120]
    errors = {}
    if not name:
        errors["name"] = [_("Enter a name.")]
    month = filters.get("birthday_month")
    if month not in (None, "") and not (str(month).isdigit() and 1 <= int(month) <= 12):
        errors["birthday_month"] = [_("Choose a month.")]
    tag_id, service_id = filters.get("tag_id"), filters.get("service_id")
    if tag_id and not Tag.objects.filter(business=business, pk=tag_id).exists():
        errors["tag_id"] = [_("No such tag.")]
    if service_id and not Service.objects.filter(business=business, pk=service_id).exists():
        errors["service_id"] = [_("No such service.")]
    spend = filters.get("spend_above")
    if spend not in (None, "") and not (str(spend).isdigit() and int(spend) < 2**31):
        errors["spend_above"] = [_("Enter an amount.")]
    if errors:
        refuse_fields(errors)
    segment = segment or Segment(business=business)
    segment.name = name
    segment.last_visit_before = filters.get("last_visit_before") or None
    segment.spend_above = int(spend) if spend not in (None, "") else None
    segment.tag_id = tag_id or None
    segment.service_id = service_id or None
    segment.birthday_month = int(month) if month not in (None, "") else None
    segment.save()
    audit_log(action="client.segment_save", actor=actor, business=business, obj=segment)
    return segment
