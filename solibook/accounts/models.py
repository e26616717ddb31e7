from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solibook.accounts.managers import UserManager
from solibook.accounts.roles import PlatformRole, Role
from solibook.core.tenancy import TenantModel
from solibook.core.validators import validate_name, validate_time_zone


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in. Every user can be a client; memberships make staff.

    `is_staff` means platform staff (the operator), not salon staff.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_name])
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # "Log out everywhere" bumps this: it is part of the session hash (every
    # session of the user becomes invalid) and API tokens issued before it
    # are refused (accounts.jwt).
    sessions_revoked_at = models.DateTimeField(
        _("signed out everywhere at"), null=True, blank=True, editable=False
    )
    # Set when a client's personal data was erased (privacy.services).
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, plus the last "log out everywhere"."""
        revoked = self.sessions_revoked_at.isoformat() if self.sessions_revoked_at else ""
        return salted_hmac(
            "solibook.accounts.User.session_auth_hash",
            f"{self.password}|{revoked}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(TenantModel):
    """A user's role in a business."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["business_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"], name="membership_unique_user_per_business"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.business_id}: {self.role}"


class PlatformRoleGrant(models.Model):
    """A platform staff member's role (operator, finance, support, moderator).

    Staff (`User.is_staff`) with no grant are operators, as before roles
    existed; a grant narrows them to its role's capabilities
    (`accounts.roles.PLATFORM_ROLE_CAPABILITIES`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_roles"
    )
    role = models.CharField(_("platform role"), max_length=20, choices=PlatformRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="platform_role_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.role}"
