"""GDPR: a client's copy of their data, erasure, and the retention job.

Export (the one behind every "download my data" page and API route) gives the
client's profile, visits, reviews, favourites and offers used in readable form and adds
what a client sees nowhere else: each salon's card about them with its dated
consents, notes, patch tests and answers, and every other row that points at
the user, found by walking the relations, so a model another app adds later
is exported without anyone remembering to add it here. Secret columns (token
hashes, codes) are left out. Erasure anonymises: the user row stays (so the
salons' accounting rows keep their foreign keys) with no personal data left,
every salon's client card is erased through `clients.services.client_erase`,
and booking rows lose the client's name, phone, e-mail and notes but keep
their dates and amounts.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Role
from solibook.accounts.services import user_logout_everywhere
from solibook.booking.models import Appointment, WaitlistEntry
from solibook.clientarea.models import Favourite
from solibook.clients.models import Client
from solibook.clients.services import client_erase
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, ValidationFailed
from solibook.offers.models import Redemption
from solibook.privacy.registry import erasers
from solibook.reviews.models import Review

EXPORT_FORMAT_VERSION = 1
# Columns never exported: secrets and hashes, not personal data of the user.
SECRET_COLUMNS = frozenset(
    {
        "password",
        "token",
        "code_hash",
        "key",
        "secret",
        "jti",
        "session_key",
        "session_data",
        "bin_key",
    }
)
# Models not exported: security machinery (their content is secrets or
# describes attacks on the account, kept for the operator's protection).
SKIPPED_MODELS = frozenset(
    {
        "token_blacklist.outstandingtoken",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "admin.logentry",
        "axes.accesslog",
        "axes.accessfailurelog",
        "axes.accessattempt",
    }
)
# Subjects whose own related rows are exported too (a salon's card for the
# client: consents with their dates, notes, patch tests, answers).
SUBJECT_MODELS = frozenset({"clients.client"})
# Exported in readable form by _readable_export.
COVERED_BY_CLIENT_AREA = frozenset(
    {"booking.appointment", "reviews.review", "clientarea.favourite", "offers.redemption"}
)
ACCOUNT_FIELDS = (
    "email",
    "full_name",
    "phone",
    "language",
    "time_zone",
    "date_joined",
    "last_login",
    "email_verified_at",
)


def _json_value(value):
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    try:
        return DjangoJSONEncoder().default(value)  # dates, times, decimals, UUIDs
    except TypeError:
        return str(value)  # phone numbers and other value objects


def _row(obj: models.Model) -> dict:
    out = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SECRET_COLUMNS:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        out[field.attname] = _json_value(value)
    return out


def _reverse_rows(obj: models.Model, *, skip_labels=frozenset()) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for rel in obj._meta.related_objects:
        model = rel.related_model
        label = model._meta.label_lower
        if label in SKIPPED_MODELS or label in skip_labels or rel.many_to_many:
            continue
        rows = model._base_manager.filter(**{rel.field.name: obj}).order_by("pk")[:10_000]
        for item in rows:
            row = _row(item)
            if label in SUBJECT_MODELS:
                row["related"] = _reverse_rows(item)
            found.setdefault(label, []).append(row)
    return found


def _readable_export(user: User) -> dict:
    """What the client sees as a client, in readable form: their profile,
    visits, reviews, favourites and offers used (JSON-serialisable)."""
    with scopes_disabled():
        visits = list(
            Appointment.objects.filter(account=user)
            .select_related("business", "location")
            .prefetch_related("items__service", "items__master")
            .order_by("starts_at")
        )
        reviews = list(Review.objects.filter(author=user).order_by("created_at"))
        favourites = list(Favourite.objects.filter(user=user).select_related("business", "master"))
        redemptions = list(Redemption.objects.filter(account=user).select_related("promo"))
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": str(user.phone) if user.phone else "",
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined.isoformat(),
            "email_verified_at": user.email_verified_at.isoformat()
            if user.email_verified_at
            else None,
        },
        "visits": [
            {
                "id": a.pk,
                "salon": a.business.name,
                "location": a.location.name,
                "status": a.status,
                "starts_at": a.starts_at.isoformat(),
                "ends_at": a.ends_at.isoformat(),
                "price_amount": a.price_amount,
                "currency": a.currency,
                "source": a.source,
                "notes": a.notes,
                "items": [
                    {
                        "service": i.service.name,
                        "master": i.master.display_name,
                        "price_amount": i.price_amount,
                    }
                    for i in a.items.all()
                ],
            }
            for a in visits
        ],
        "reviews": [
            {
                "appointment_id": r.appointment_id,
                "rating": r.rating,
                "text": r.text,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "reply": r.reply_text,
            }
            for r in reviews
        ],
        "favourites": [
            {"salon": f.business.name} if f.business_id else {"master": f.master.display_name}
            for f in favourites
        ],
        "offers_used": [
            {
                "appointment_id": r.appointment_id,
                "kind": r.kind,
                "code": r.promo.code if r.promo else "",
                "discount_amount": r.discount_amount,
                "currency": r.currency,
            }
            for r in redemptions
        ],
    }


def user_data_export(*, user: User, actor: User | None = None, via: str = "page") -> dict:
    """Everything stored about the user, as JSON-ready data. Audit-logged
    (`privacy.export`, with the channel)."""
    readable = _readable_export(user)
    with scopes_disabled():
        records = _reverse_rows(user, skip_labels=COVERED_BY_CLIENT_AREA)
    data = {
        "format": "solibook-personal-data",
        "version": EXPORT_FORMAT_VERSION,
        **readable,
        "account": {name: _json_value(getattr(user, name)) for name in ACCOUNT_FIELDS},
        "salon_cards": records.pop("clients.client", []),
        "records": records,
    }
    audit_log(action="privacy.export", actor=actor or user, obj=user, data={"via": via})
    return data


def _owned_businesses(user: User) -> list[str]:
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, role=Role.OWNER).values_list(
                "business__name", flat=True
            )
        )


def erase_request_check(*, user: User, password: str, confirm: bool) -> None:
    """What the erasure page and API ask first: the password, and a yes."""
    fields = {}
    if not confirm:
        fields["confirm"] = [_("Confirm the erasure.")]
    if not user.check_password(password or ""):
        fields["password"] = [_("The password is not correct.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


def user_erase(*, user: User, actor: User | None = None, reason: str = "request") -> None:
    """Erase a user's personal data (GDPR art. 17). Refused while the user
    owns a business (a business needs an owner: transfer it first)."""
    owned = _owned_businesses(user)
    if owned:
        raise Conflict(
            _("You own %(names)s. Hand the business to another owner before erasing your account.")
            % {"names": ", ".join(owned)},
            code="owns_business",
        )
    with transaction.atomic(), scopes_disabled():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.erased_at is not None:
            return
        user_logout_everywhere(user=locked)
        for card in Client.objects.filter(user=locked).select_related("business"):
            client_erase(business=card.business, client=card, actor=actor)
        Appointment.objects.filter(account=locked).update(
            client_name="", client_phone="", client_email="", notes=""
        )
        WaitlistEntry.objects.filter(account=locked, state__in=["waiting", "offered"]).update(
            state="cancelled"
        )
        for fn in erasers().values():
            fn(user=locked)
        Membership.objects.filter(user=locked).delete()
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        locked.email = f"erased-{locked.pk}-{secrets.token_hex(4)}@erased.invalid"
        locked.full_name = ""
        locked.phone = ""
        locked.password = make_password(None)
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.email_verified_at = None
        locked.erased_at = timezone.now()
        locked.save()
        audit_log(
            action="privacy.erase",
            actor=actor if actor is not None and actor.pk != locked.pk else None,
            obj=locked,
            data={"reason": reason},
        )
    user.refresh_from_db()


# --- retention ------------------------------------------------------------------
def retention_cutoff(*, now=None, days: int | None = None):
    days = settings.PRIVACY_CLIENT_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def inactive_client_cards(*, cutoff):
    """Salon client cards with no visit, booking or change since the cutoff."""
    return (
        Client.objects.filter(erased_at__isnull=True, created_at__lt=cutoff, updated_at__lt=cutoff)
        .annotate(last_booking=Max("appointments__starts_at"))
        .filter(Q(last_booking__isnull=True) | Q(last_booking__lt=cutoff))
    )


def inactive_client_users(*, cutoff):
    """Client accounts (no team membership, not staff) without a log-in or a
    visit since the cutoff."""
    return (
        User.objects.filter(
            erased_at__isnull=True, is_staff=False, is_superuser=False, date_joined__lt=cutoff
        )
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(memberships__isnull=False)
        .annotate(last_booking=Max("appointments__starts_at"))
        .filter(Q(last_booking__isnull=True) | Q(last_booking__lt=cutoff))
    )


def retention_run(*, now=None, days: int | None = None, dry_run: bool = False) -> dict[str, int]:
    """Anonymise inactive clients: salon cards and client accounts."""
    cutoff = retention_cutoff(now=now, days=days)
    counts = {"client_cards": 0, "users": 0}
    with scopes_disabled():
        cards = list(inactive_client_cards(cutoff=cutoff).select_related("business"))
        users = list(inactive_client_users(cutoff=cutoff))
        if dry_run:
            return {"client_cards": len(cards), "users": len(users)}
        for card in cards:
            client_erase(business=card.business, client=card, actor=None)
            counts["client_cards"] += 1
        for user in users:
            user_erase(user=user, reason="retention")
            counts["users"] += 1
    audit_log(action="privacy.retention", data={**counts, "cutoff": cutoff.isoformat()})
    return counts
