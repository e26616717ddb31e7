"""Reading a request's query string and body through a serializer."""

from rest_framework.request import Request


def query_params(serializer_class, request: Request) -> dict:
    """Validated query string; a malformed value is a 400 naming the parameter."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def body(serializer_class, request: Request) -> dict:
    """Validated request body; a malformed value is a 400 naming the field."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data
