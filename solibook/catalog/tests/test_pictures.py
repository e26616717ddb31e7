"""Pictures: the pipeline (metadata stripped, bombs refused, renditions), the
{% picture %} tag, panoramas, and the services behind the pages and the API."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django_scopes import scopes_disabled
from PIL import Image

from solibook.accounts.roles import Role
from solibook.catalog.models import LocationPhoto, MasterPhoto
from solibook.catalog.services import (
    location_photo_add,
    location_photo_remove,
    location_photo_update,
    master_photo_add,
)
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(size=(3000, 2000), *, gps=False, colour=(180, 120, 90)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x0112] = 6  # rotate 90°: the stored picture must come out upright
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return SimpleUploadedFile("shot.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def place():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    owner = member(business)
    return business, location, owner


def add(place, upload=None, **kwargs) -> LocationPhoto:
    business, location, owner = place
    with business_scope(business):
        return location_photo_add(
            actor=owner,
            business=business,
            location_id=location.pk,
            upload=upload or jpeg(),
            **kwargs,
        )


def stored(media: Path, name: str) -> bytes:
    return (media / name).read_bytes()


def test_exif_and_gps_are_gone_from_the_picture_and_every_rendition(place, media):
    photo = add(place, jpeg((1600, 1200), gps=True))
    names = [photo.image.name, *(r["name"] for r in photo.renditions)]
    assert len(names) == 5  # jpeg + 320, 640, 960, 1200 (its own width)
    for name in names:
        data = stored(media, name)
        assert b"PhoneMaker" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert "exif" not in image.info
    # Orientation 6 was applied before the metadata went: portrait now.
    assert (photo.width, photo.height) == (1200, 1600)


def test_renditions_are_webp_at_responsive_widths_and_the_picture_a_capped_jpeg(place, media):
    photo = add(place, jpeg((3000, 2000)))
    assert (photo.width, photo.height) == (2048, 1365)
    assert [(r["w"], r["h"]) for r in photo.renditions] == [
        (320, 213),
        (640, 427),
        (960, 640),
        (1280, 853),
        (2048, 1365),
    ]
    with Image.open(media / photo.image.name) as image:
        assert (image.format, image.size) == ("JPEG", (2048, 1365))
    for r in photo.renditions:
        with Image.open(media / r["name"]) as image:
            assert (image.format, image.size) == ("WEBP", (r["w"], r["h"]))


def test_a_small_picture_is_never_enlarged(place):
    photo = add(place, jpeg((500, 400)))
    assert [r["w"] for r in photo.renditions] == [320, 500]


@pytest.mark.parametrize(
    "payload, name",
    [
        (b"<?php system($_GET['c']); ?>", "shell.jpg"),
        (b"%PDF-1.4 not an image", "doc.png"),
        (b"", "empty.jpg"),
    ],
)
def test_what_is_not_an_image_is_refused_with_a_clear_message(place, media, payload, name):
    with pytest.raises(ValidationFailed) as error:
        add(place, SimpleUploadedFile(name, payload, content_type="image/jpeg"))
    assert "not a photo we can read" in error.value.message
    assert "image" in error.value.fields
    with scopes_disabled():
        assert not LocationPhoto.objects.exists()
    assert not list(media.rglob("*.*"))  # nothing written


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(place, settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("L", (4000, 4000)).save(buffer, format="PNG")  # a small file, 16 M pixels
    with pytest.raises(ValidationFailed):
        add(place, SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_the_picture_tag_renders_a_lazy_responsive_img(place):
    photo = add(place, jpeg((3000, 2000)), caption='Le salon "rose" <b>')
    html = Template(
        '{% load pictures %}{% picture p sizes="(min-width: 768px) 25vw, 50vw" class="img-fluid" %}'
    ).render(Context({"p": photo}))
    assert html.startswith(f'<img src="/media/{photo.image.name}"')
    widths = [r["w"] for r in photo.renditions]
    srcset = ", ".join(f"/media/{r['name']} {r['w']}w" for r in photo.renditions)
    assert f'srcset="{srcset}"' in html and widths == [320, 640, 960, 1280, 2048]
    assert 'sizes="(min-width: 768px) 25vw, 50vw"' in html
    assert 'width="2048" height="1365"' in html
    assert 'alt="Le salon &quot;rose&quot; &lt;b&gt;"' in html  # escaped
    assert 'loading="lazy" decoding="async" class="img-fluid">' in html


def test_the_picture_tag_takes_an_alt_and_eager_loading_for_a_cover(place):
    photo = add(place, kind=LocationPhoto.Kind.COVER)
    html = Template(
        '{% load pictures %}{% picture p alt="Cover" loading="eager" fetchpriority="high" %}'
    ).render(Context({"p": photo}))
    assert 'alt="Cover" loading="eager"' in html and 'fetchpriority="high"' in html
    assert Template("{% load pictures %}{% picture p %}").render(Context({"p": None})) == ""


def test_panorama_must_be_equirectangular_and_large_enough(place):
    with pytest.raises(ValidationFailed, match="twice as wide"):
        add(place, jpeg((3000, 2000)), kind=LocationPhoto.Kind.PANORAMA)
    with pytest.raises(ValidationFailed, match="at least 2000 pixels wide"):
        add(place, jpeg((1600, 800)), kind=LocationPhoto.Kind.PANORAMA)
    panorama = add(place, jpeg((6000, 3000)), kind=LocationPhoto.Kind.PANORAMA)
    assert (panorama.width, panorama.height) == (4096, 2048)
    assert [r["w"] for r in panorama.renditions] == [640, 4096]


def test_a_new_cover_replaces_the_old_one_and_its_files(
    place, media, django_capture_on_commit_callbacks
):
    first = add(place, jpeg((400, 300)), kind=LocationPhoto.Kind.COVER)
    old_files = [first.image.name, *(r["name"] for r in first.renditions)]
    with django_capture_on_commit_callbacks(execute=True):
        second = add(place, jpeg((400, 300)), kind=LocationPhoto.Kind.COVER)
    with scopes_disabled():
        assert list(LocationPhoto.objects.values_list("pk", flat=True)) == [second.pk]
    assert not any((media / name).exists() for name in old_files)
    assert (media / second.image.name).exists()


def test_gallery_order_and_removal_keep_positions_contiguous(
    place, media, django_capture_on_commit_callbacks
):
    business, _location, owner = place
    a, b, c = (add(place, jpeg((400, 300))) for _ in range(3))
    with business_scope(business):
        location_photo_update(actor=owner, business=business, photo_id=c.pk, position=0)
        order = list(LocationPhoto.objects.order_by("position").values_list("pk", flat=True))
        assert order == [c.pk, a.pk, b.pk]
        with django_capture_on_commit_callbacks(execute=True):
            location_photo_remove(actor=owner, business=business, photo_id=a.pk)
        rows = list(LocationPhoto.objects.order_by("position").values_list("pk", "position"))
        assert rows == [(c.pk, 0), (b.pk, 1)]
    assert not (media / a.image.name).exists()


def test_another_salons_ids_are_not_found(place):
    business, location, owner = place
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    theirs = add((other, other_location, member(other)), jpeg((400, 300)))
    with business_scope(business), pytest.raises(NotFound):
        location_photo_add(
            actor=owner, business=business, location_id=other_location.pk, upload=jpeg((40, 30))
        )
    with business_scope(business), pytest.raises(NotFound):
        location_photo_remove(actor=owner, business=business, photo_id=theirs.pk)
    with business_scope(business), pytest.raises(NotFound):
        location_photo_update(actor=owner, business=business, photo_id=theirs.pk, caption="x")


def test_a_masters_avatar_is_unique_and_becomes_their_photo(place):
    business, location, owner = place
    master = make_master(business, locations=[location])
    with business_scope(business):
        master_photo_add(
            actor=owner,
            business=business,
            master_id=master.pk,
            upload=jpeg((400, 400)),
            kind="avatar",
        )
        avatar = master_photo_add(
            actor=owner,
            business=business,
            master_id=master.pk,
            upload=jpeg((400, 400)),
            kind="avatar",
        )
        master_photo_add(
            actor=owner, business=business, master_id=master.pk, upload=jpeg((400, 300))
        )
        assert MasterPhoto.objects.filter(kind="avatar").count() == 1
        assert MasterPhoto.objects.filter(kind="portfolio").count() == 1
    master.refresh_from_db()
    assert master.photo.name == avatar.image.name


# --- API ---------------------------------------------------------------------------


def test_api_uploads_lists_edits_and_removes_a_location_picture(place):
    business, location, _owner = place
    api = api_as(business)
    url = f"/api/v1/businesses/{business.pk}/locations/{location.pk}/pictures/"
    created = api.post(url, {"image": jpeg((900, 600)), "alt": "The hall"}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["alt"], body["width"]) == ("photo", "The hall", 900)
    assert [r["width"] for r in body["renditions"]] == [320, 640, 900]
    assert api.get(url).json()[0]["id"] == body["id"]
    detail = f"/api/v1/businesses/{business.pk}/location-pictures/{body['id']}/"
    assert api.patch(detail, {"alt": "Hall"}, format="json").json()["alt"] == "Hall"
    assert api.delete(detail).status_code == 204
    assert api.get(url).json() == []


def test_api_refuses_a_bad_panorama_and_a_non_image_with_field_errors(place):
    business, location, _owner = place
    api = api_as(business)
    url = f"/api/v1/businesses/{business.pk}/locations/{location.pk}/pictures/"
    wrong = api.post(url, {"image": jpeg((2400, 1600)), "kind": "panorama"}, format="multipart")
    assert wrong.status_code == 400
    assert "twice as wide" in wrong.json()["error"]["fields"]["image"][0]
    fake = SimpleUploadedFile("x.jpg", b"GIF89a" + b"\x00" * 40, content_type="image/jpeg")
    assert api.post(url, {"image": fake}, format="multipart").status_code == 400


def test_api_another_salons_pictures_and_places_are_404_and_untouched(place):
    business, location, _owner = place
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    theirs = add((other, other_location, member(other)), jpeg((400, 300)))
    their_master = make_master(other, locations=[other_location])
    api = api_as(business)
    b = f"/api/v1/businesses/{business.pk}"
    upload = api.post(
        f"{b}/locations/{other_location.pk}/pictures/",
        {"image": jpeg((40, 30))},
        format="multipart",
    )
    assert upload.status_code == 404
    assert api.delete(f"{b}/location-pictures/{theirs.pk}/").status_code == 404
    assert (
        api.patch(f"{b}/location-pictures/{theirs.pk}/", {"alt": "x"}, format="json").status_code
        == 404
    )
    master_upload = api.post(
        f"{b}/masters/{their_master.pk}/pictures/", {"image": jpeg((40, 30))}, format="multipart"
    )
    assert master_upload.status_code == 404
    # Their own business URL with our login: not a member.
    their_url = f"/api/v1/businesses/{other.pk}/location-pictures/{theirs.pk}/"
    assert api.delete(their_url).status_code in (403, 404)
    with scopes_disabled():
        assert LocationPhoto.objects.filter(pk=theirs.pk, caption="").exists()


def test_a_receptionist_cannot_upload(place):
    business, location, _owner = place
    api = api_as(business, Role.RECEPTIONIST)
    url = f"/api/v1/businesses/{business.pk}/locations/{location.pk}/pictures/"
    assert api.post(url, {"image": jpeg((40, 30))}, format="multipart").status_code == 403


def test_api_master_avatar_and_portfolio(place):
    business, location, _owner = place
    master = make_master(business, locations=[location])
    api = api_as(business)
    url = f"/api/v1/businesses/{business.pk}/masters/{master.pk}/pictures/"
    avatar = api.post(url, {"image": jpeg((400, 400)), "kind": "avatar"}, format="multipart")
    work = api.post(url, {"image": jpeg((400, 300)), "alt": "Balayage"}, format="multipart")
    assert (avatar.status_code, work.status_code) == (201, 201)
    assert [p["kind"] for p in api.get(url).json()] == ["avatar", "portfolio"]


# --- serving -----------------------------------------------------------------------


def test_pictures_are_served_cached_and_private_uploads_are_not(place, media, client):
    photo = add(place, jpeg((400, 300)))
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    (media / "receipts" / "1").mkdir(parents=True)
    (media / "receipts" / "1" / "r.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/media/receipts/1/r.pdf").status_code == 404
    assert client.get("/media/pictures/../receipts/1/r.pdf").status_code == 404


# --- back-office pages -------------------------------------------------------------


def test_owner_uploads_orders_describes_and_removes_through_the_pages(
    place, django_capture_on_commit_callbacks
):
    business, location, _owner = place
    pages = pages_as(business)
    page = f"/fr/office/{business.slug}/locations/{location.pk}/pictures/"
    assert pages.get(f"/fr/office/{business.slug}/settings/pictures/").url == page
    for caption in ("Accueil", "Bacs"):
        sent = pages.post(page, {"kind": "photo", "image": jpeg((800, 600)), "caption": caption})
        assert sent.status_code == 302, sent.content[:500]
    shown = pages.get(page)
    html = shown.content.decode()
    assert 'alt="Accueil"' in html and 'loading="lazy"' in html and "srcset=" in html
    with scopes_disabled():
        first, second = LocationPhoto.objects.order_by("position")
    pages.post(f"{page}{second.pk}/", {"position": "0"})
    pages.post(f"{page}{first.pk}/", {"caption": "L'accueil"})
    with scopes_disabled():
        assert list(
            LocationPhoto.objects.order_by("position").values_list("caption", flat=True)
        ) == [
            "Bacs",
            "L'accueil",
        ]
    with django_capture_on_commit_callbacks(execute=True):
        assert pages.post(f"{page}{second.pk}/delete/").status_code == 302
    with scopes_disabled():
        assert list(LocationPhoto.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_wrong_panorama_through_the_page_says_why_in_the_persons_language(place):
    business, location, _owner = place
    pages = pages_as(business)
    page = f"/fr/office/{business.slug}/locations/{location.pk}/pictures/"
    response = pages.post(page, {"kind": "panorama", "image": jpeg((900, 600))})
    assert response.status_code == 400
    assert response.context["form"].errors["image"]
    assert "deux fois plus large" in response.content.decode()


def test_the_pages_refuse_another_salons_picture_and_a_receptionist(place):
    business, location, _owner = place
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    theirs = add((other, other_location, member(other)), jpeg((400, 300)))
    pages = pages_as(business)
    base = f"/en/office/{business.slug}/locations/{location.pk}/pictures/"
    assert pages.post(f"{base}{theirs.pk}/delete/").status_code == 404
    assert (
        pages.get(f"/en/office/{business.slug}/locations/{other_location.pk}/pictures/").status_code
        == 404
    )
    desk = pages_as(business, Role.RECEPTIONIST)
    assert desk.post(base, {"kind": "photo", "image": jpeg((40, 30))}).status_code == 403
    with scopes_disabled():
        assert LocationPhoto.objects.filter(pk=theirs.pk).exists()


def test_a_masters_pictures_page_uploads_an_avatar(place):
    business, location, _owner = place
    master = make_master(business, locations=[location])
    pages = pages_as(business)
    page = f"/ru/office/{business.slug}/masters/{master.pk}/pictures/"
    assert pages.get(page).status_code == 200
    assert pages.post(page, {"kind": "avatar", "image": jpeg((500, 500))}).status_code == 302
    master.refresh_from_db()
    assert master.photo.name.startswith(f"pictures/{business.pk}/")
