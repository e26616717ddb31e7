"""Developers API: API keys and webhooks of a salon, with the delivery log.

Owners and managers (`manage_business`); an API key never reaches these
routes (no scope covers them). Thin views over `developers.services`.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.inputs import body
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.developers import services
from solibook.developers.api.serializers import (
    ApiKeyIn,
    ApiKeyOut,
    ApiKeyWithSecretOut,
    WebhookDeliveryOut,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPatchIn,
    WebhookEndpointWithSecretOut,
)
from solibook.developers.models import ApiKey, WebhookDelivery, WebhookEndpoint

TAGS = ["developers"]


class DevelopersApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS


def _with_secret(issued, serializer_class, field: str) -> dict:
    setattr(issued.obj, field, issued.secret)  # on this answer's copy only, never saved
    return serializer_class(issued.obj).data


@extend_schema(tags=TAGS)
class ApiKeyListApi(DevelopersApi):
    pagination_class = Pagination

    @extend_schema(responses=ApiKeyOut(many=True), summary="The salon's API keys")
    def get(self, request, business_id: int):
        return paginated(self, ApiKey.objects.order_by("-created_at", "-id"), ApiKeyOut)

    @extend_schema(
        request=ApiKeyIn,
        responses={201: ApiKeyWithSecretOut},
        summary="Create an API key (its value is shown in this answer only)",
    )
    def post(self, request, business_id: int):
        data = body(ApiKeyIn, request)
        issued = services.api_key_create(business=self.business, actor=request.user, **data)
        return Response(
            _with_secret(issued, ApiKeyWithSecretOut, "key"), status=status.HTTP_201_CREATED
        )


@extend_schema(tags=TAGS)
class ApiKeyRotateApi(DevelopersApi):
    @extend_schema(
        request=None, responses=ApiKeyWithSecretOut, summary="A new value for a key (old one stops)"
    )
    def post(self, request, business_id: int, key_id: int):
        issued = services.api_key_rotate(business=self.business, actor=request.user, key_id=key_id)
        return Response(_with_secret(issued, ApiKeyWithSecretOut, "key"))


@extend_schema(tags=TAGS)
class ApiKeyRevokeApi(DevelopersApi):
    @extend_schema(request=None, responses=ApiKeyOut, summary="Revoke a key")
    def post(self, request, business_id: int, key_id: int):
        key = services.api_key_revoke(business=self.business, actor=request.user, key_id=key_id)
        return Response(ApiKeyOut(key).data)


@extend_schema(tags=TAGS)
class WebhookListApi(DevelopersApi):
    pagination_class = Pagination

    @extend_schema(responses=WebhookEndpointOut(many=True), summary="The salon's webhooks")
    def get(self, request, business_id: int):
        return paginated(
            self, WebhookEndpoint.objects.order_by("-created_at", "-id"), WebhookEndpointOut
        )

    @extend_schema(
        request=WebhookEndpointIn,
        responses={201: WebhookEndpointWithSecretOut},
        summary="Subscribe a URL to events (the signing secret is shown in this answer only)",
    )
    def post(self, request, business_id: int):
        data = body(WebhookEndpointIn, request)
        issued = services.endpoint_create(business=self.business, actor=request.user, **data)
        return Response(
            _with_secret(issued, WebhookEndpointWithSecretOut, "secret"),
            status=status.HTTP_201_CREATED,
        )


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


@extend_schema(tags=TAGS)
class WebhookDetailApi(DevelopersApi):
    @extend_schema(responses=WebhookEndpointOut, summary="A webhook")
    def get(self, request, business_id: int, endpoint_id: int):
        return Response(WebhookEndpointOut(_endpoint(endpoint_id)).data)

    @extend_schema(
        request=WebhookEndpointPatchIn, responses=WebhookEndpointOut, summary="Change a webhook"
    )
    def patch(self, request, business_id: int, endpoint_id: int):
        data = body(WebhookEndpointPatchIn, request)
        endpoint = services.endpoint_update(
            business=self.business, actor=request.user, endpoint_id=endpoint_id, **data
        )
        return Response(WebhookEndpointOut(endpoint).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a webhook and its log")
    def delete(self, request, business_id: int, endpoint_id: int):
        services.endpoint_delete(
            business=self.business, actor=request.user, endpoint_id=endpoint_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class WebhookRotateSecretApi(DevelopersApi):
    @extend_schema(
        request=None,
        responses=WebhookEndpointWithSecretOut,
        summary="A new signing secret (shown in this answer only)",
    )
    def post(self, request, business_id: int, endpoint_id: int):
        issued = services.endpoint_rotate_secret(
            business=self.business, actor=request.user, endpoint_id=endpoint_id
        )
        return Response(_with_secret(issued, WebhookEndpointWithSecretOut, "secret"))


@extend_schema(tags=TAGS)
class WebhookResumeApi(DevelopersApi):
    @extend_schema(request=None, responses=WebhookEndpointOut, summary="Resume a paused webhook")
    def post(self, request, business_id: int, endpoint_id: int):
        endpoint = services.endpoint_resume(
            business=self.business, actor=request.user, endpoint_id=endpoint_id
        )
        return Response(WebhookEndpointOut(endpoint).data)


@extend_schema(tags=TAGS)
class WebhookTestApi(DevelopersApi):
    @extend_schema(
        request=None,
        responses={202: WebhookDeliveryOut},
        summary="Send a test message (webhook.test)",
    )
    def post(self, request, business_id: int, endpoint_id: int):
        row = services.endpoint_ping(
            business=self.business, actor=request.user, endpoint_id=endpoint_id
        )
        return Response(WebhookDeliveryOut(row).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=TAGS)
class WebhookDeliveryListApi(DevelopersApi):
    pagination_class = Pagination

    @extend_schema(
        responses=WebhookDeliveryOut(many=True), summary="A webhook's delivery log, newest first"
    )
    def get(self, request, business_id: int, endpoint_id: int):
        endpoint = _endpoint(endpoint_id)
        rows = WebhookDelivery.objects.filter(endpoint=endpoint).prefetch_related("tries")
        return paginated(self, rows.order_by("-created_at", "-id"), WebhookDeliveryOut)


@extend_schema(tags=TAGS)
class WebhookReplayApi(DevelopersApi):
    @extend_schema(
        request=None,
        responses={202: WebhookDeliveryOut},
        summary="Send a message again (same id and body, a fresh signature)",
    )
    def post(self, request, business_id: int, endpoint_id: int, delivery_id: int):
        row = services.delivery_replay(
            business=self.business,
            actor=request.user,
            endpoint_id=endpoint_id,
            delivery_id=delivery_id,
        )
        return Response(WebhookDeliveryOut(row).data, status=status.HTTP_202_ACCEPTED)
