from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def paginated(view: APIView, rows, serializer_class) -> Response:
    """One page of `rows` in the shared envelope (count, next, previous, results)."""
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, view.request, view=view)
    return paginator.get_paginated_response(
        serializer_class(page, many=True, context={"request": view.request}).data
    )
