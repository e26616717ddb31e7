"""Pictures for the demo salons, drawn by the demo itself with Pillow.

Nothing is downloaded and no image file is shipped: each salon gets a cover
and a small gallery of stylised interiors in its own palette, each master an
avatar (a head-and-shoulders silhouette on a soft background in their
calendar colour) and a few portfolio pieces, and the first salon of every
city a 360° equirectangular panorama of its room. They go through the same
service as an upload (catalog.services.pictures), so the demo shows the real
renditions and srcset. Drawings are deterministic (seeded by name) and small,
so the seed stays fast.
"""

import colorsys
import io
import math
import random
import zlib

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from solibook.catalog.models import LocationPhoto, MasterPhoto
from solibook.catalog.services import location_photo_add, master_photo_add
from solibook.core.tenancy import business_scope

# Captions are the salon's own words, in its language.
CAPTIONS = {
    "FR": {
        "cover": "L’entrée du salon",
        "gallery": ["Les postes de coiffage", "L’espace de détente"],
        "panorama": "Le salon à 360°",
        "portfolio": ["Une réalisation de {name}", "Un autre travail de {name}"],
    },
    "RU": {
        "cover": "Вход в салон",
        "gallery": ["Рабочие места мастеров", "Зона отдыха"],
        "panorama": "Салон на 360°",
        "portfolio": ["Работа мастера {name}", "Ещё одна работа мастера {name}"],
    },
    "SA": {
        "cover": "مدخل الصالون",
        "gallery": ["محطات العمل", "ركن الاستراحة"],
        "panorama": "الصالون بزاوية 360°",
        "portfolio": ["من أعمال {name}", "عمل آخر من أعمال {name}"],
    },
}


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("/".join(map(str, parts)).encode()))


def _palette(rng: random.Random) -> list[tuple[int, int, int]]:
    """Five harmonious colours around one hue: walls, floor, furniture, accent, light."""
    hue = rng.random()
    tones = [
        (hue, 0.18, 0.92),
        (hue + 0.05, 0.25, 0.45),
        (hue + 0.5, 0.30, 0.35),
        (hue + 0.08, 0.55, 0.70),
        (0.12, 0.25, 0.99),
    ]
    return [tuple(round(c * 255) for c in colorsys.hsv_to_rgb(h % 1, s, v)) for h, s, v in tones]


def _gradient(size, top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _jpeg(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return ContentFile(buffer.getvalue(), name=f"{name}.jpg")


def interior(seed: str, size=(1280, 800)) -> Image.Image:
    """A salon room: wall and floor, mirrors with lights, chairs."""
    rng = _rng(seed)
    wall, floor, chair, accent, light = _palette(rng)
    w, h = size
    horizon = int(h * rng.uniform(0.62, 0.7))
    image = _gradient(size, wall, tuple(int(c * 0.85) for c in wall))
    image.paste(
        _gradient((w, h - horizon), floor, tuple(int(c * 0.6) for c in floor)), (0, horizon)
    )
    draw = ImageDraw.Draw(image)
    count = rng.randint(3, 4)
    step = w / count
    for i in range(count):
        cx = int(step * (i + 0.5))
        mirror = (
            cx - int(step * 0.28),
            int(h * 0.16),
            cx + int(step * 0.28),
            horizon - int(h * 0.14),
        )
        draw.rounded_rectangle(mirror, radius=int(step * 0.12), fill=light, outline=accent, width=6)
        draw.ellipse((cx - 14, int(h * 0.08), cx + 14, int(h * 0.08) + 28), fill=accent)
        seat = (
            cx - int(step * 0.2),
            horizon - int(h * 0.05),
            cx + int(step * 0.2),
            horizon + int(h * 0.1),
        )
        draw.rounded_rectangle(seat, radius=24, fill=chair)
        draw.rectangle((cx - 6, seat[3], cx + 6, seat[3] + int(h * 0.12)), fill=chair)
    return image


def avatar(seed: str, colour: str, size: int = 320) -> Image.Image:
    """A head-and-shoulders silhouette on a soft background in `colour`."""
    rng = _rng(seed)
    base = tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    pale = tuple(int(c + (255 - c) * 0.75) for c in base)
    image = _gradient((size, size), pale, tuple(int(c + (255 - c) * 0.45) for c in base))
    draw = ImageDraw.Draw(image)
    figure = tuple(int(c * 0.75) for c in base)
    head = size * rng.uniform(0.17, 0.2)
    cx, cy = size / 2, size * 0.42
    draw.ellipse((cx - size * 0.36, size * 0.7, cx + size * 0.36, size * 1.25), fill=figure)
    draw.ellipse((cx - head, cy - head * 1.15, cx + head, cy + head * 1.15), fill=figure)
    return image


def work(seed: str, size=(640, 640)) -> Image.Image:
    """A portfolio piece: flowing bands, like hair colour or nail art."""
    rng = _rng(seed)
    colours = _palette(rng)
    w, h = size
    image = _gradient(size, colours[0], colours[3])
    draw = ImageDraw.Draw(image)
    phase, amplitude, bands = rng.random() * 6.28, rng.uniform(20, 60), rng.randint(5, 8)
    for band in range(bands):
        y0 = h * (band + 0.5) / bands
        points = [
            (x, y0 + amplitude * math.sin(phase + band * 0.7 + x / w * 6.28))
            for x in range(0, w + 20, 20)
        ]
        draw.line(points, fill=colours[1 + band % 3], width=int(h / bands / 2.5), joint="curve")
    return image


def panorama(seed: str, size=(2048, 1024)) -> Image.Image:
    """An equirectangular room: ceiling, walls with mirrors all around, floor.

    The pattern repeats a whole number of times across the width, so the
    left and right edges meet without a seam in the viewer."""
    rng = _rng(seed)
    wall, floor, chair, accent, light = _palette(rng)
    w, h = size
    image = _gradient(size, light, wall)
    draw = ImageDraw.Draw(image)
    ceiling, horizon = int(h * 0.3), int(h * 0.62)
    draw.rectangle((0, 0, w, ceiling), fill=tuple(int(c * 0.97) for c in light))
    image.paste(
        _gradient((w, h - horizon), floor, tuple(int(c * 0.5) for c in floor)), (0, horizon)
    )
    panels = 8
    step = w // panels
    for i in range(panels):
        cx = step * i + step // 2
        draw.rounded_rectangle(
            (cx - step // 4, ceiling + 40, cx + step // 4, horizon - 40),
            radius=30,
            fill=light,
            outline=accent,
            width=8,
        )
        draw.rounded_rectangle(
            (cx - step // 5, horizon - 10, cx + step // 5, horizon + 60), radius=20, fill=chair
        )
        draw.ellipse((cx - 20, ceiling - 70, cx + 20, ceiling - 30), fill=accent)
    return image


def add_pictures(catalogues: dict, *, owners: dict) -> int:
    """Pictures for every demo salon and master, uploaded by the salon's owner
    (`owners`: salon name -> user); returns how many were added."""
    added = 0
    cities_done: set[str] = set()
    for name, built in catalogues.items():
        business = built.business
        words = CAPTIONS.get(business.country, CAPTIONS["FR"])
        owner = owners[name]
        with business_scope(business):
            for location in built.locations.values():
                shots = [(LocationPhoto.Kind.COVER, words["cover"], (1280, 720))] + [
                    (LocationPhoto.Kind.PHOTO, caption, (960, 640)) for caption in words["gallery"]
                ]
                for kind, caption, size in shots:
                    image = interior(f"{location.name}/{caption}", size)
                    location_photo_add(
                        actor=owner,
                        business=business,
                        location_id=location.pk,
                        upload=_jpeg(image, "room"),
                        kind=kind,
                        caption=caption,
                    )
                    added += 1
                if location.city not in cities_done:
                    cities_done.add(location.city)
                    location_photo_add(
                        actor=owner,
                        business=business,
                        location_id=location.pk,
                        upload=_jpeg(panorama(location.name), "panorama"),
                        kind=LocationPhoto.Kind.PANORAMA,
                        caption=words["panorama"],
                    )
                    added += 1
            for master_name, master in built.masters.items():
                master_photo_add(
                    actor=owner,
                    business=business,
                    master_id=master.pk,
                    upload=_jpeg(avatar(f"{name}/{master_name}", master.color), "avatar"),
                    kind=MasterPhoto.Kind.AVATAR,
                    caption=master_name,
                )
                for i, caption in enumerate(words["portfolio"]):
                    master_photo_add(
                        actor=owner,
                        business=business,
                        master_id=master.pk,
                        upload=_jpeg(work(f"{name}/{master_name}/{i}"), "work"),
                        caption=caption.format(name=master_name),
                    )
                    added += 1
                added += 1
    return added
