"""The demo draws its own pictures: every salon a cover and a gallery, every
master an avatar and a portfolio, one 360° panorama per city."""

import io

import pytest
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled
from PIL import Image

from solibook.catalog.models import Location, LocationPhoto, Master, MasterPhoto
from solibook.demo.pictures import avatar, interior, panorama
from solibook.demo.seed import seed_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield media
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_salon_and_master_has_pictures_and_every_city_a_panorama(seeded):
    media = seeded
    with scopes_disabled():
        for location in Location.objects.all():
            kinds = list(location.photos.values_list("kind", flat=True))
            assert kinds.count("cover") == 1, location.name
            assert kinds.count("photo") >= 2, location.name
        for master in Master.objects.all():
            kinds = list(master.pictures.values_list("kind", flat=True))
            assert kinds.count("avatar") == 1 and kinds.count("portfolio") >= 2, master.display_name
            assert master.photo, master.display_name
        cities = set(Location.objects.values_list("city", flat=True))
        panoramas = LocationPhoto.objects.filter(kind="panorama").select_related("location")
        assert sorted(p.location.city for p in panoramas) == sorted(cities)
        for picture in [*LocationPhoto.objects.all(), *MasterPhoto.objects.all()]:
            assert picture.caption and picture.renditions
            assert (media / picture.image.name).exists()
        pano = panoramas.first()
    with Image.open(media / pano.image.name) as image:
        assert image.width == 2 * image.height >= 2000


def test_drawings_are_deterministic_and_panoramas_wrap_without_a_seam():
    first, again = interior("Marais/cover", (320, 200)), interior("Marais/cover", (320, 200))
    assert first.tobytes() == again.tobytes()
    assert interior("Oberkampf/cover", (320, 200)).tobytes() != first.tobytes()
    room = panorama("Patriarshiye")
    left, right = (
        room.crop((0, 0, 1, room.height)),
        room.crop((room.width - 1, 0, room.width, room.height)),
    )
    diff = sum(abs(a - b) for a, b in zip(left.tobytes(), right.tobytes(), strict=True))
    assert diff / len(left.tobytes()) < 8  # edges meet: no visible seam in the viewer
    buffer = io.BytesIO()
    avatar("Léa", "#7a2e5a").save(buffer, format="PNG")
    assert buffer.tell() > 0
