"""Recommendations API: what to suggest to a client card, at a visit, with a service, in
the booking wizard and in the client's own account. Thin views over
`recommendations.selectors`; ids are looked up in the business's scope (404 otherwise)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking.models import Appointment
from solibook.booking.selectors import listed_location
from solibook.catalog.models import Service
from solibook.clients.selectors import active_clients
from solibook.core.ids import as_db_id
from solibook.recommendations import selectors
from solibook.recommendations.api.serializers import (
    BookedTogetherOut,
    SalonSuggestionsOut,
    SuggestionsOut,
)

TAGS = ["recommendations"]


def _out(services, products) -> dict:
    notes = [n for n in (services.note, products.note) if n]
    return {"services": services.items, "products": products.items, "notes": notes}


@extend_schema(tags=TAGS)
class ClientSuggestionsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS

    @extend_schema(
        responses=SuggestionsOut,
        summary="Services and home-care products to suggest to a client card, with reasons",
    )
    def get(self, request, business_id: int, client_id: int):
        client = active_clients(business=self.business).filter(pk=client_id).first()
        if client is None:
            raise Http404
        now = timezone.now()
        services = selectors.services_for_client(business=self.business, client=client, now=now)
        products = selectors.products_for(business=self.business, client=client, now=now)
        return Response(SuggestionsOut(_out(services, products)).data)


@extend_schema(tags=TAGS)
class VisitSuggestionsApi(BusinessScopedMixin, APIView):
    """The master's view of a visit: the desk sees any visit, a master their own."""

    capability = Capability.VIEW_OWN_CALENDAR

    @extend_schema(
        responses=SuggestionsOut,
        summary="What to suggest at a visit: services often booked with it, home-care products",
    )
    def get(self, request, business_id: int, appointment_id: int):
        found = Appointment.objects.filter(pk=appointment_id)
        if not self.access.can(Capability.MANAGE_BOOKINGS):
            found = found.filter(items__master__user=request.user).distinct()
        appointment = found.select_related("client_card").first()
        if appointment is None:
            raise Http404
        services, products = selectors.for_visit(
            business=self.business, appointment=appointment, now=timezone.now()
        )
        return Response(SuggestionsOut(_out(services, products)).data)


@extend_schema(tags=TAGS)
class ServiceTogetherApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_BACK_OFFICE

    @extend_schema(
        responses=SuggestionsOut,
        summary="Services often booked with a service, and products bought with it",
    )
    def get(self, request, business_id: int, service_id: int):
        service = Service.objects.filter(pk=service_id).first()
        if service is None:
            raise Http404
        now = timezone.now()
        services = selectors.booked_together(
            business=self.business, service=service, now=now, online_only=False
        )
        products = selectors.products_with_service(business=self.business, service=service, now=now)
        return Response(SuggestionsOut(_out(services, products)).data)


SERVICE = OpenApiParameter(
    "service", int, many=True, required=True, description="The services chosen so far."
)


class BookedTogetherApi(APIView):
    """The booking wizard's "often booked together" (a listed salon's location)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        tags=TAGS,
        parameters=[SERVICE],
        responses=BookedTogetherOut,
        summary="Services often booked together with the chosen ones (the wizard)",
    )
    def get(self, request, location_id: int):
        location = listed_location(location_id)
        ids = []
        for value in request.query_params.getlist("service")[:20]:
            try:
                number = as_db_id(int(value))
            except (TypeError, ValueError):
                number = None
            if number:
                ids.append(number)
        found = selectors.booked_together_for(
            business=location.business, service_ids=ids, now=timezone.now()
        )
        return Response(BookedTogetherOut({"services": found}).data)


class MySuggestionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses=SalonSuggestionsOut(many=True),
        summary="Services and home-care products suggested to me at my salons",
    )
    def get(self, request):
        rows = [
            {
                "business_id": s.business.pk,
                "business_name": s.business.name,
                "location_id": s.location_id,
                **_out(s.services, s.products),
            }
            for s in selectors.suggestions_for_account(user=request.user, now=timezone.now())
        ]
        return Response(SalonSuggestionsOut(rows, many=True).data)
