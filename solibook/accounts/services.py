"""Writes for users and memberships. Pages and API both call these."""

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Role
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.validators import normalise_name

EMAIL_VERIFY_SALT = "solibook.accounts.email-verify"
EMAIL_VERIFY_MAX_AGE = 60 * 60 * 24 * 3


def _normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    language: str = "en",
    time_zone: str = "Europe/Paris",
    phone: str = "",
    base_url: str = "",
) -> User:
    """Create a client account and send the e-mail verification link."""
    email = _normalise_email(email)
    user = User(
        email=email,
        full_name=normalise_name(full_name),
        language=language,
        time_zone=time_zone,
        phone=phone,
    )
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("Choose a stronger password."), fields={"password": list(exc.messages)}
        ) from exc
    try:
        user.full_clean(exclude=["password"])
    except DjangoValidationError as exc:
        fields = exc.message_dict
        if "email" in fields and User.objects.filter(email__iexact=email).exists():
            fields["email"] = [_("An account with this e-mail address already exists.")]
        raise ValidationFailed(_("Please correct the errors below."), fields=fields) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two sign-ups with one address at the same instant
        raise ValidationFailed(
            _("An account with this e-mail address already exists."),
            fields={"email": [_("An account with this e-mail address already exists.")]},
        ) from exc
    transaction.on_commit(lambda: email_verification_send(user=user, base_url=base_url))
    return user


def email_verification_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFY_SALT)


def email_verification_send(*, user: User, base_url: str = "") -> None:
    with translation.override(user.language):
        link = base_url + reverse(
            "accounts:verify_email", kwargs={"token": email_verification_token(user=user)}
        )
        context = {"user": user, "link": link}
        send_mail(
            subject=_("Confirm your e-mail address"),
            message=render_to_string("accounts/email/verify_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
            html_message=render_to_string("accounts/email/verify_email.html", context),
        )


def user_verify_email(*, token: str) -> User:
    try:
        payload = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=EMAIL_VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationFailed(
            _("This verification link has expired. Ask for a new one."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationFailed(_("This verification link is not valid."), code="bad_token") from exc
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        raise ValidationFailed(_("This verification link is not valid."), code="bad_token")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


PROFILE_FIELDS = ("full_name", "phone", "language", "time_zone")


def user_update_profile(*, user: User, **changes) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "full_name" in changes:
        changes["full_name"] = normalise_name(changes["full_name"] or "")
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=["password"])
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("Please correct the errors below."), fields=exc.message_dict
        ) from exc
    user.save(update_fields=list(changes))
    return user


def membership_add(*, actor: User | None, business, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    with scopes_disabled():
        if Membership.objects.filter(business=business, user=user).exists():
            raise ValidationFailed(
                _("This person is already a member of the team."),
                fields={"email": [_("This person is already a member of the team.")]},
            )
    with transaction.atomic():
        membership = Membership.objects.create(business=business, user=user, role=role)
        audit_log(
            action="membership.add",
            actor=actor,
            business=business,
            obj=membership,
            data={"user": user.email, "role": role},
        )
    return membership


def membership_change_role(*, actor: User, business, membership_id: int, role: str) -> Membership:
    """Change a member's role. The last owner cannot be demoted: a business
    without an owner could never change its team again."""
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    with transaction.atomic():
        # Lock the business's owner rows so two simultaneous demotions cannot
        # both see "another owner remains".
        owners = list(
            Membership.objects.select_for_update()
            .filter(business=business, role=Role.OWNER)
            .values_list("pk", flat=True)
        )
        membership = (
            Membership.objects.select_for_update()
            .filter(business=business, pk=membership_id)
            .first()
        )
        if membership is None:
            raise NotFound(_("No such team member."))
        if membership.role == Role.OWNER and role != Role.OWNER and len(owners) <= 1:
            raise ValidationFailed(
                _("A business needs at least one owner."),
                fields={"role": [_("A business needs at least one owner.")]},
            )
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_log(
            action="membership.role_change",
            actor=actor,
            business=business,
            obj=membership,
            data={"from": previous, "to": role},
        )
    return membership


def login_record(*, user: User, via: str, ip: str = "", two_factor: bool = False) -> None:
    """Audit a log-in of a team member (one row per business they work in,
    shown on that business's audit page) or of platform staff."""
    with scopes_disabled():
        businesses = [
            m.business for m in Membership.objects.filter(user=user).select_related("business")
        ]
    data = {"via": via, "ip": ip, "two_factor": two_factor}
    for business in businesses:
        audit_log(action="auth.login", actor=user, business=business, obj=user, data=data)
    if user.is_staff and not businesses:
        audit_log(action="auth.login", actor=user, obj=user, data=data)


def user_logout_everywhere(*, user: User) -> None:
    """End every session of the user and revoke every API token: sessions
    hash `sessions_revoked_at` (accounts.models.User), access tokens carry it
    (accounts.jwt), and every outstanding refresh token is blacklisted."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(sessions_revoked_at=timezone.now())
        user.refresh_from_db(fields=["sessions_revoked_at"])
        outstanding = OutstandingToken.objects.filter(user=user).exclude(
            blacklistedtoken__isnull=False
        )
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=t) for t in outstanding], ignore_conflicts=True
        )
        audit_log(action="auth.logout_everywhere", actor=user, obj=user)
