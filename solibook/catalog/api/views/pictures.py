"""A salon's pictures through the API: a location's gallery, cover and 360°
panoramas; a master's avatar and portfolio. Uploads are multipart; the
service re-encodes them (catalog.services.pictures), as the back office does."""

from collections.abc import Callable

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.api.inputs import body
from solibook.api.parsers import JSONParser
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog import services as catalog_services
from solibook.catalog.api.views.offerings import WRITE_BUSINESS, WRITE_CATALOG
from solibook.catalog.models import Location, LocationPhoto, Master, MasterPhoto


class RenditionOut(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.CharField(help_text="A WebP copy for srcset.")


class PictureOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    alt = serializers.CharField(source="caption", allow_blank=True)
    position = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The picture as JPEG, metadata removed.")
    renditions = serializers.SerializerMethodField()

    def get_url(self, picture) -> str:
        return picture.image.url

    @extend_schema_field(RenditionOut(many=True))
    def get_renditions(self, picture) -> list[dict]:
        return [
            {"width": r["w"], "height": r["h"], "url": default_storage.url(r["name"])}
            for r in picture.renditions
        ]


class LocationPictureIn(serializers.Serializer):
    image = serializers.ImageField(help_text="JPEG, PNG or WebP; a panorama is 2:1.")
    kind = serializers.ChoiceField(choices=LocationPhoto.Kind.choices, default="photo")
    alt = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class MasterPictureIn(serializers.Serializer):
    image = serializers.ImageField(help_text="JPEG, PNG or WebP.")
    kind = serializers.ChoiceField(choices=MasterPhoto.Kind.choices, default="portfolio")
    alt = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class PicturePatchIn(serializers.Serializer):
    alt = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    position = serializers.IntegerField(
        required=False, min_value=0, max_value=1000, help_text="0 puts the picture first."
    )


@extend_schema(tags=["pictures"])
class LocationPictureListApi(BusinessScopedMixin, APIView):
    """A location's pictures: gallery photos, its cover and 360° panoramas."""

    capability_by_method = WRITE_BUSINESS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=PictureOut(many=True), summary="A location's pictures")
    def get(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        pictures = LocationPhoto.objects.filter(location=location)
        return Response(PictureOut(pictures, many=True).data)

    @extend_schema(
        request={"multipart/form-data": LocationPictureIn},
        responses={201: PictureOut},
        summary="Upload a gallery photo, the cover or a 360° panorama",
    )
    def post(self, request, business_id: int, location_id: int):
        data = body(LocationPictureIn, request)
        picture = catalog_services.location_photo_add(
            actor=request.user,
            business=self.business,
            location_id=location_id,
            upload=data["image"],
            kind=data["kind"],
            caption=data["alt"],
        )
        return Response(PictureOut(picture).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["pictures"])
class MasterPictureListApi(BusinessScopedMixin, APIView):
    """A master's avatar and portfolio."""

    capability_by_method = WRITE_CATALOG
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=PictureOut(many=True), summary="A master's pictures")
    def get(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        return Response(PictureOut(MasterPhoto.objects.filter(master=master), many=True).data)

    @extend_schema(
        request={"multipart/form-data": MasterPictureIn},
        responses={201: PictureOut},
        summary="Upload a master's avatar or a portfolio picture",
    )
    def post(self, request, business_id: int, master_id: int):
        data = body(MasterPictureIn, request)
        picture = catalog_services.master_photo_add(
            actor=request.user,
            business=self.business,
            master_id=master_id,
            upload=data["image"],
            kind=data["kind"],
            caption=data["alt"],
        )
        return Response(PictureOut(picture).data, status=status.HTTP_201_CREATED)


class PictureDetailApi(BusinessScopedMixin, APIView):
    """One picture, of a location or of a master: the subclass names its model
    and the services that change and remove it."""

    parser_classes = [JSONParser]
    model: type[LocationPhoto] | type[MasterPhoto]
    update: Callable[..., LocationPhoto | MasterPhoto]
    remove: Callable[..., None]

    @extend_schema(responses=PictureOut, summary="One picture")
    def get(self, request, business_id: int, photo_id: int):
        return Response(PictureOut(get_object_or_404(self.model.objects.all(), pk=photo_id)).data)

    @extend_schema(
        request=PicturePatchIn, responses=PictureOut, summary="Change its text or its place"
    )
    def patch(self, request, business_id: int, photo_id: int):
        data = body(PicturePatchIn, request)
        picture = type(self).update(
            actor=request.user,
            business=self.business,
            photo_id=photo_id,
            caption=data.get("alt"),
            position=data.get("position"),
        )
        return Response(PictureOut(picture).data)

    @extend_schema(responses={204: None}, summary="Remove the picture")
    def delete(self, request, business_id: int, photo_id: int):
        type(self).remove(actor=request.user, business=self.business, photo_id=photo_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["pictures"])
class LocationPictureDetailApi(PictureDetailApi):
    capability_by_method = WRITE_BUSINESS
    model = LocationPhoto
    update = staticmethod(catalog_services.location_photo_update)
    remove = staticmethod(catalog_services.location_photo_remove)


@extend_schema(tags=["pictures"])
class MasterPictureDetailApi(PictureDetailApi):
    capability_by_method = WRITE_CATALOG
    model = MasterPhoto
    update = staticmethod(catalog_services.master_photo_update)
    remove = staticmethod(catalog_services.master_photo_remove)
