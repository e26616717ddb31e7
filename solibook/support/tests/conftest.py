import pytest

from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformRole
from solibook.testing.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SUPPORT_EMAIL = "support@solibook.test"
    settings.NOTIFICATIONS_SITE_URL = "https://solibook.example"
    yield


def staff_with(role: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    PlatformRoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def agent(db):
    return staff_with(PlatformRole.SUPPORT, full_name="Inès Agent")


@pytest.fixture
def agent2(db):
    return staff_with(PlatformRole.SUPPORT, full_name="Omar Agent")


@pytest.fixture
def moderator(db):
    return staff_with(PlatformRole.MODERATOR, full_name="Paul Moderator")
