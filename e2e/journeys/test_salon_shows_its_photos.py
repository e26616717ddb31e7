"""Journey: the salon uploads a photo and a client sees it on the salon page (issue #14, point 8).

Through pages only, in each of en, fr, ru and ar. The owner of Atelier Lumière signs
in to the back office (a desk-sized screen), opens Settings → Pictures and uploads a
gallery photo taken by a phone (its EXIF carries a GPS position) with a description.
A client then opens the salon page on a phone: the photo is there, described by its
text, served as a responsive lazy image (srcset) with no trace of the GPS position.
"""

import io
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, office_menu, sign_in, t

pytestmark = pytest.mark.browser

OWNER = "owner@solibook.demo"
SALON = "Atelier Lumière"
SALON_PATH = "salons/atelier-lumiere/"


def phone_photo(path, colour) -> None:
    """A 1600×1200 JPEG as a phone writes it: camera make and a GPS position in EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "JourneyPhone"
    exif[0x8825] = {1: "N", 2: (48.0, 53.0, 10.0), 3: "E", 4: (2.0, 19.0, 5.0)}
    image = Image.new("RGB", (1600, 1200), colour)
    image.paste((250, 240, 230), (200, 150, 1400, 1050))
    image.save(path, format="JPEG", exif=exif)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_salon_uploads_a_photo_and_a_client_sees_it_on_a_phone(
    demo_site, desktop_page, phone_page, tmp_path, lang
):
    caption = f"Journey {lang} {uuid.uuid4().hex[:6]}"
    upload = tmp_path / "salon.jpg"
    phone_photo(
        upload,
        {"en": (120, 60, 90), "fr": (60, 90, 120), "ru": (90, 120, 60), "ar": (120, 90, 60)}[lang],
    )

    # The owner, in the back office.
    owner = desktop_page
    sign_in(owner, demo_site, lang, OWNER)
    owner.goto(demo_site.page_url(lang, "office/"))
    owner.get_by_role("link", name=SALON, exact=True).click()
    office_menu(owner, lang, "Settings", group="Business")
    owner.get_by_role("link", name=t(lang, "Pictures"), exact=True).click()
    form = owner.locator("#picture-upload")
    form.get_by_label(t(lang, "Kind")).select_option(label=t(lang, "Gallery photo"))
    form.get_by_label(t(lang, "Picture")).set_input_files(str(upload))
    # "Description" is the same word in French: the form's one text box, found by role.
    form.get_by_role("textbox").fill(caption)
    form.get_by_role("button", name=t(lang, "Upload")).click()
    expect(owner.get_by_text(t(lang, "Picture added."))).to_be_visible()
    expect(owner.get_by_role("img", name=caption)).to_be_visible()
    assert run_axe(owner) == []

    # A client, on a phone, on the salon page.
    page = phone_page
    page.goto(demo_site.page_url(lang, SALON_PATH))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    photo = page.get_by_role("img", name=caption)
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert photo.get_attribute("loading") == "lazy"
    srcset = photo.get_attribute("srcset") or ""
    assert " 320w" in srcset and " 640w" in srcset, srcset
    shown = photo.evaluate("(img) => img.currentSrc")
    served = page.request.get(shown)
    assert served.ok
    assert b"JourneyPhone" not in served.body()
    with Image.open(io.BytesIO(served.body())) as image:
        assert not image.getexif()  # no camera, no GPS position
    screenshot(page, f"journey-salon-photos-{lang}")
    assert run_axe(page) == []
