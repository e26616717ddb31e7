"""The personal-data API: the signed-in user's export and erasure (GDPR)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from solibook.privacy import services as privacy
from solibook.privacy.api.serializers import ExportOut
from solibook.privacy.services import user_data_export


class PrivacyThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "privacy"


class MyDataApi(PrivacyThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "PersonalDataOut",
            {
                "format": serializers.CharField(),
                "version": serializers.IntegerField(),
                "exported_at": serializers.DateTimeField(),
                "account": serializers.DictField(),
                "records": serializers.DictField(),
            },
        ),
        summary="Everything stored about the signed-in user (GDPR export)",
    )
    def get(self, request):
        return Response(
            privacy.user_data_export(user=request.user, via="api"),
            headers={"Cache-Control": "no-store"},
        )


class EraseIn(serializers.Serializer):
    password = serializers.CharField(max_length=4096, write_only=True)
    confirm = serializers.BooleanField()


class EraseMeApi(PrivacyThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=EraseIn,
        responses={204: None},
        summary="Erase the signed-in user's account and personal data",
    )
    def post(self, request):
        data = EraseIn(data=request.data)
        data.is_valid(raise_exception=True)
        privacy.erase_request_check(user=request.user, **data.validated_data)
        privacy.user_erase(user=request.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=ExportOut, summary="Everything Solibook holds about me as a client (JSON)"
    )
    def get(self, request):
        return Response(user_data_export(user=request.user, via="api"))
