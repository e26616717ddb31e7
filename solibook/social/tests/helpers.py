"""Shared builders of the social tests."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_scopes import scopes_disabled
from PIL import Image

from solibook.catalog.models import LocationPhoto
from solibook.core.tenancy import business_scope
from solibook.social import services
from solibook.social.tests import fakenet

TOKENS = {
    "telegram": fakenet.TELEGRAM_TOKEN,
    "facebook": fakenet.GRAPH_TOKEN,
    "instagram": fakenet.GRAPH_TOKEN,
    "vk": fakenet.VK_TOKEN,
}
IDS = {
    "telegram": "@atelier_test",
    "facebook": "1234567",
    "instagram": "17841400000",
    "vk": "987654",
}


def profile(business, network: str, token: str | None = None):
    with business_scope(business):
        return services.profile_connect(
            business=business,
            network=network,
            name=f"{network} of {business.name}",
            external_id=IDS[network],
            token=token or TOKENS[network],
        )


def photo(business, location) -> LocationPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 140)).save(buffer, format="JPEG")
    name = default_storage.save(f"pictures/{business.pk}/work.jpg", ContentFile(buffer.getvalue()))
    with scopes_disabled():
        return LocationPhoto.objects.create(
            business=business,
            location=location,
            image=name,
            width=32,
            height=24,
            caption="Balayage",
        )
