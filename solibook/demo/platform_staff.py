"""The operator's own team in the demo: one login per platform role besides
the operator (admin@solibook.demo), so each role's console can be tried."""

from solibook.accounts.models import PlatformRoleGrant, User
from solibook.accounts.roles import PlatformRole

# (email, full name, language, time zone, platform role)
PLATFORM_STAFF = [
    ("finance@solibook.demo", "Hugo Finance", "fr", "Europe/Paris", PlatformRole.FINANCE),
    ("support@solibook.demo", "Inès Support", "fr", "Europe/Paris", PlatformRole.SUPPORT),
    ("moderator@solibook.demo", "Paul Moderator", "en", "Europe/Paris", PlatformRole.MODERATOR),
]


def make_platform_staff(*, password_hash: str, now) -> list[User]:
    made = []
    for email, name, language, zone, role in PLATFORM_STAFF:
        user = User.objects.create(
            email=email,
            password=password_hash,
            full_name=name,
            language=language,
            time_zone=zone,
            is_staff=True,
            email_verified_at=now,
        )
        PlatformRoleGrant.objects.create(user=user, role=role)
        made.append(user)
    return made
