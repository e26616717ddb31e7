"""The OpenAPI schema tells the truth (issue #23, point 4): one name per
component and enum, every operation's error responses in the one error format,
and /api/schema/ served from the cache. None of it needs the database."""

import re

import pytest
from django.core.cache import cache
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.validation import validate_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.api import schema_view
from solibook.api.idempotency import IDEMPOTENCY
from solibook.api.schema import ERROR_DESCRIPTIONS
from solibook.api.scoping import BusinessScopedMixin

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def generated():
    """The site's schema, generated in-process once, with the warnings and
    errors drf-spectacular reported while generating it, and each operation's
    view class."""
    GENERATOR_STATS.reset()
    generator = SchemaGenerator()
    with GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)
    stats = (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    views = {(p, m.lower()): callback.cls for p, _regex, m, callback in generator.endpoints}
    return schema, stats, views


def operations(schema):
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            yield route, method, operation


def test_generates_without_warnings_or_errors_and_is_valid_openapi(generated):
    schema, (warnings, errors), _views = generated
    assert warnings == {}
    assert errors == {}
    validate_schema(schema)


def test_no_enum_has_a_generated_name(generated):
    schema, _stats, _views = generated
    hashed = [name for name in schema["components"]["schemas"] if re.search(r"\d+Enum$", name)]
    assert hashed == []


def test_marketplace_answers_are_documented_with_their_own_shapes(generated):
    schema, _stats, _views = generated
    components = schema["components"]["schemas"]
    salon = components["SalonOut"]["properties"]
    assert salon["locations"]["items"] == {"$ref": "#/components/schemas/MarketplaceLocationOut"}
    assert salon["services"]["items"] == {"$ref": "#/components/schemas/MarketplaceServiceOut"}
    assert "MarketplaceSlotOut" in str(components["SalonResultOut"]["properties"])
    assert "MarketplaceSlotOut" in str(components["ComparedOut"]["properties"])


def test_every_operation_documents_the_errors_that_apply(generated):
    schema, _stats, views = generated
    missing = []
    for route, method, operation in operations(schema):
        view = views[(route, method)]
        parameters = operation.get("parameters", [])
        security = operation.get("security", [])
        expected = set()
        if method in WRITES or any(p["in"] in ("query", "header") for p in parameters):
            expected.add("400")
        if security and {} not in security:
            expected.add("401")  # authentication required
        if issubclass(view, BusinessScopedMixin):
            expected |= {"403", "404"}
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            expected.add("404")
        if method in WRITES:
            expected.add("409")
        if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in parameters):
            expected.add("422")
        if "requestBody" in operation:
            expected.add("415")
        if view.throttle_classes:
            expected.add("429")
        documented = operation["responses"]
        for code in sorted(expected - set(documented)):
            missing.append(f"{method.upper()} {route}: {code}")
        for code, response in documented.items():
            if code.startswith("4"):
                content = response.get("content", {}).get("application/json", {})
                if content.get("schema") != ERROR_REF:
                    missing.append(f"{method.upper()} {route}: {code} not in the error format")
    assert missing == []


def test_the_error_format_is_one_component(generated):
    schema, _stats, _views = generated
    components = schema["components"]["schemas"]
    assert components["ErrorOut"]["properties"]["error"] == {
        "$ref": "#/components/schemas/ErrorDetailOut"
    }
    detail = components["ErrorDetailOut"]
    assert set(detail["required"]) == {"code", "message", "fields"}
    assert detail["properties"]["fields"]["additionalProperties"]["type"] == "array"


# ----------------------------------------------------- the AutoSchema's rules


class ThingOut(serializers.Serializer):
    name = serializers.CharField()


class ThingIn(serializers.Serializer):
    name = serializers.CharField()


class ThingApi(APIView):
    @extend_schema(
        responses={200: ThingOut, 404: OpenApiResponse(description="No such thing today.")}
    )
    def get(self, request, thing_id: int):
        return Response({"name": "x"})

    @extend_schema(request=ThingIn, responses=ThingOut, parameters=[IDEMPOTENCY])
    def post(self, request, thing_id: int):
        return Response({"name": "x"})


class PublicThingApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes: list[type] = []

    @extend_schema(responses=ThingOut)
    def get(self, request):
        return Response({"name": "x"})


class OfficeThingApi(BusinessScopedMixin, APIView):
    @extend_schema(responses=ThingOut)
    def get(self, request, business_id: int):
        return Response({"name": "x"})


def schema_of(*patterns):
    return SchemaGenerator(patterns=list(patterns)).get_schema(request=None, public=True)


def test_a_view_s_own_error_response_wins_and_gets_the_error_body():
    schema = schema_of(path("things/<int:thing_id>/", ThingApi.as_view()))
    get = schema["paths"]["/things/{thing_id}/"]["get"]["responses"]
    assert get["404"]["description"] == "No such thing today."
    assert get["404"]["content"]["application/json"]["schema"] == ERROR_REF
    assert set(get) == {"200", "401", "404", "429"}


def test_a_write_with_an_idempotency_key_documents_every_way_it_can_fail():
    schema = schema_of(path("things/<int:thing_id>/", ThingApi.as_view()))
    post = schema["paths"]["/things/{thing_id}/"]["post"]["responses"]
    # 403: a session-authenticated write without its CSRF token.
    assert set(post) == {"200", "400", "401", "403", "404", "409", "415", "422", "429"}
    assert post["422"]["description"] == ERROR_DESCRIPTIONS["422"]


def test_a_public_unthrottled_read_documents_no_error():
    schema = schema_of(path("public/", PublicThingApi.as_view()))
    assert set(schema["paths"]["/public/"]["get"]["responses"]) == {"200"}


def test_a_back_office_route_can_refuse_the_role():
    schema = schema_of(path("businesses/<int:business_id>/thing/", OfficeThingApi.as_view()))
    responses = schema["paths"]["/businesses/{business_id}/thing/"]["get"]["responses"]
    assert {"401", "403", "404", "429"} <= set(responses)


# ------------------------------------------------------------- served cached


@pytest.fixture
def counted_generation(monkeypatch):
    """Generation replaced by a tiny schema that names the language it was made in."""
    from django.utils.translation import get_language

    calls = []

    def fake_get_schema(self, request=None, public=False):
        calls.append(get_language())
        return {"openapi": "3.0.3", "info": {"title": f"in {get_language()}"}, "paths": {}}

    monkeypatch.setattr(SchemaGenerator, "get_schema", fake_get_schema)
    cache.clear()
    yield calls
    cache.clear()


def test_the_schema_is_generated_once_then_served_from_the_cache(client, counted_generation):
    first = client.get("/api/schema/?format=json")
    second = client.get("/api/schema/?format=json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["Content-Type"] == second["Content-Type"]
    assert b"in en" in first.content
    assert counted_generation == ["en"]


def test_each_language_and_format_has_its_own_schema(client, counted_generation):
    english = client.get("/api/schema/?format=json")
    french = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="fr")
    yaml = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="fr")
    assert b"in en" in english.content and b"in fr" in french.content
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"title: in en" in yaml.content
    assert counted_generation == ["en", "fr", "en"]


def test_a_new_deploy_generates_it_anew(client, counted_generation, monkeypatch):
    client.get("/api/schema/?format=json")
    monkeypatch.setattr(schema_view, "deploy_version", lambda: "next-deploy")
    client.get("/api/schema/?format=json")
    client.get("/api/schema/?format=json")
    assert counted_generation == ["en", "en"]


def test_odd_languages_and_versions_share_the_cached_schema(client, counted_generation):
    client.get("/api/schema/?format=json")
    for junk in ("xx", "zz-top", "en-gb"):
        response = client.get(f"/api/schema/?format=json&lang={junk}&version={junk}")
        assert response.status_code == 200
    assert counted_generation == ["en"]
