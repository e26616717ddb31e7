"""Per-salon branding: colour and logo. (Booking rules and policies are the
business settings endpoint of the catalogue API; custom client fields and
consultation forms are in `clients`.)"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.parsers import JSONParser
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.selectors import brand_colour
from solibook.catalog.services import branding_update


class BrandingIn(serializers.Serializer):
    colour = serializers.CharField(required=False, max_length=7, help_text="#RRGGBB")
    logo = serializers.ImageField(required=False)
    remove_logo = serializers.BooleanField(required=False, default=False)


class BrandingOut(serializers.Serializer):
    colour = serializers.CharField()
    logo = serializers.CharField(allow_blank=True, help_text="URL of the logo, empty when none.")


def _out(business) -> dict:
    return {"colour": brand_colour(business), "logo": business.logo.url if business.logo else ""}


class BrandingApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_BACK_OFFICE
    capability_by_method = {"PATCH": Capability.MANAGE_BUSINESS}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=BrandingOut, summary="The salon's colour and logo", tags=["settings"])
    def get(self, request, business_id: int):
        return Response(BrandingOut(_out(self.business)).data)

    @extend_schema(
        request={"multipart/form-data": BrandingIn, "application/json": BrandingIn},
        responses=BrandingOut,
        summary="Change the salon's colour or logo",
        tags=["settings"],
    )
    def patch(self, request, business_id: int):
        data = BrandingIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        branding_update(
            business=self.business,
            actor=request.user,
            colour=values.get("colour"),
            logo=values.get("logo"),
            remove_logo=values["remove_logo"],
        )
        return Response(BrandingOut(_out(self.business)).data)
