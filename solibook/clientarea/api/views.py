"""Client booking drafts (the wizard's API) and the client's account.

Drafts: hold a slot (public), verify a guest's e-mail or phone with a
one-time code, confirm with an optional promo code. The draft token is the
bearer secret of a draft; a draft held by a signed-in client answers only to
that client. Every write calls `clientarea.services`, as the pages do.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from solibook.api.idempotency import IDEMPOTENCY, run_idempotent
from solibook.booking.api.serializers import AVAILABILITY_PARAMS, AvailabilityQuery
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.selectors import listed_location
from solibook.clientarea import services
from solibook.clientarea.api.serializers import (
    ConfirmIn,
    DraftIn,
    DraftOut,
    DraftPaymentOut,
    DraftQuery,
    FavouriteIn,
    FavouriteOut,
    PricedSlotsOut,
    SendCodeIn,
    VerifyIn,
    VisitCancelIn,
    VisitOut,
    VisitRescheduleIn,
    VisitsOut,
)
from solibook.clientarea.models import Favourite
from solibook.clientarea.selectors import client_visits, visit_payment_state
from solibook.core.errors import NotFound
from solibook.core.tenancy import business_scope
from solibook.finance import services as finance
from solibook.finance.models import Payment as FinancePayment
from solibook.finance.selectors import open_online_payment

TOKEN = OpenApiParameter(
    "token",
    str,
    OpenApiParameter.PATH,
    description="The draft token returned when the slot was held.",
)


def _draft(request, token: str):
    try:
        draft = services.draft_get(token)
    except NotFound as exc:
        raise Http404 from exc
    if draft.user_id and (not request.user.is_authenticated or request.user.pk != draft.user_id):
        raise Http404
    return draft


def _out(draft, promo_code: str = "") -> dict:
    return DraftOut(services.draft_summary(draft, promo_code=promo_code).as_dict()).data


class PricedSlotsApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        parameters=AVAILABILITY_PARAMS,
        responses=PricedSlotsOut,
        summary="Bookable times with off-peak prices (the wizard's slot picker)",
    )
    def get(self, request, location_id: int):
        location = listed_location(location_id)
        query = AvailabilityQuery(
            data={
                **request.query_params.dict(),
                **{k: request.query_params.getlist(k) for k in ("service", "variant", "master")},
            }
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        by_day = services.wizard_slots(
            business=location.business,
            location=location,
            specs=data["specs"],
            day=data["date"],
            days=data["days"],
        )
        slots = [slot.as_dict() for day in sorted(by_day) for slot in by_day[day]]
        return Response(
            {"location_id": location.pk, "time_zone": location.time_zone, "slots": slots}
        )


class DraftCreateApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        request=DraftIn,
        responses={201: DraftOut},
        parameters=[IDEMPOTENCY],
        summary="Hold a slot while the client confirms (409 slot_taken carries alternatives)",
    )
    def post(self, request):
        data = DraftIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        location = listed_location(values["location_id"])

        def hold() -> Response:
            draft = services.booking_hold(
                business=location.business,
                location_id=location.pk,
                specs=[data.fields["items"].child.to_spec(i) for i in values["items"]],
                start=values["start"],
                user=request.user,
                source=Source.API,  # the route decides, never the body
            )
            return Response(_out(draft), status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation="booking_draft.create", handler=hold)


class DraftDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            TOKEN,
            OpenApiParameter(
                "promo_code", str, description="Price the draft with this code (not spent)."
            ),
        ],
        responses=DraftOut,
        summary="A held booking: total, duration, policy",
    )
    def get(self, request, token: str):
        query = DraftQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(_out(_draft(request, token), query.validated_data["promo_code"]))


class DraftSendCodeApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=SendCodeIn,
        responses=DraftOut,
        parameters=[TOKEN],
        summary="Send a guest a one-time code by e-mail or SMS",
    )
    def post(self, request, token: str):
        _draft(request, token)
        data = SendCodeIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_out(services.draft_send_code(token=token, **data.validated_data)))


class DraftVerifyApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=VerifyIn,
        responses=DraftOut,
        parameters=[TOKEN],
        summary="Verify the guest's one-time code",
    )
    def post(self, request, token: str):
        _draft(request, token)
        data = VerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_out(services.draft_verify(token=token, code=data.validated_data["code"])))


class DraftConfirmApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=ConfirmIn,
        responses=DraftOut,
        parameters=[TOKEN, IDEMPOTENCY],
        summary="Confirm the held booking (409 hold_expired carries alternatives)",
    )
    def post(self, request, token: str):
        draft = _draft(request, token)
        data = ConfirmIn(data=request.data)
        data.is_valid(raise_exception=True)

        def confirm() -> Response:
            services.draft_confirm(
                token=token, user=request.user, promo_code=data.validated_data["promo_code"]
            )
            draft.refresh_from_db()
            return Response(_out(draft))

        return run_idempotent(
            request, operation=f"booking_draft.confirm:{draft.pk}", handler=confirm
        )


# --- the account ----------------------------------------------------------------------


class VisitsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=VisitsOut, summary="My upcoming and past visits")
    def get(self, request):
        upcoming, past = client_visits(request.user)
        with scopes_disabled():
            return Response(
                {
                    "upcoming": VisitOut(upcoming, many=True).data,
                    "past": VisitOut(past, many=True).data,
                }
            )


def _visit_out(appointment) -> dict:
    with scopes_disabled():
        appointment.can_review, appointment.has_review = False, False
        return VisitOut(appointment).data


class VisitCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=VisitCancelIn,
        responses=VisitOut,
        parameters=[IDEMPOTENCY],
        summary="Cancel my visit (the salon's policy applies; a promo use is given back)",
    )
    def post(self, request, appointment_id: int):
        data = VisitCancelIn(data=request.data)
        data.is_valid(raise_exception=True)

        def cancel() -> Response:
            return Response(
                _visit_out(
                    services.visit_cancel(
                        user=request.user,
                        appointment_id=appointment_id,
                        reason=data.validated_data["reason"],
                    )
                )
            )

        return run_idempotent(request, operation=f"visit.cancel:{appointment_id}", handler=cancel)


class VisitRescheduleApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=VisitRescheduleIn,
        responses=VisitOut,
        parameters=[IDEMPOTENCY],
        summary="Move my visit to another free time",
    )
    def post(self, request, appointment_id: int):
        data = VisitRescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)

        def move() -> Response:
            return Response(
                _visit_out(
                    services.visit_reschedule(
                        user=request.user,
                        appointment_id=appointment_id,
                        start=data.validated_data["start"],
                    )
                )
            )

        return run_idempotent(request, operation=f"visit.reschedule:{appointment_id}", handler=move)


class FavouritesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FavouriteOut(many=True), summary="My favourite salons and masters")
    def get(self, request):
        return Response(FavouriteOut(Favourite.objects.filter(user=request.user), many=True).data)

    @extend_schema(
        request=FavouriteIn,
        responses={201: FavouriteOut},
        summary="Add a salon or a master to my favourites",
    )
    def post(self, request):
        data = FavouriteIn(data=request.data)
        data.is_valid(raise_exception=True)
        favourite = services.favourite_add(user=request.user, **data.validated_data)
        return Response(FavouriteOut(favourite).data, status=status.HTTP_201_CREATED)


class FavouriteDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Remove a favourite")
    def delete(self, request, favourite_id: int):
        services.favourite_remove(user=request.user, favourite_id=favourite_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- paying online (the same services as the wizard's payment page) -------------------


def _payment_out(appointment, payment, url: str, purpose: str) -> dict:
    appointment.refresh_from_db()
    due = visit_payment_state(appointment).due
    return DraftPaymentOut(
        {
            "payment_id": payment.pk if payment else None,
            "purpose": purpose,
            "amount": payment.amount if payment else due.amount,
            "currency": appointment.currency,
            "state": payment.state if payment else "",
            "url": url,
            "test_mode": due.test_mode,
            "appointment_status": appointment.status,
            "late": (payment.detail.get("late", "") if payment else ""),
        }
    ).data


def _pay(request, appointment, *, purpose: str, account=None) -> Response:
    # The page the client lands on after paying (an app reads the state here).
    landing = request.build_absolute_uri(
        reverse("marketplace:salon", args=[appointment.business.slug])
    )
    with business_scope(appointment.business):
        started = finance.online_checkout_start(
            business=appointment.business,
            appointment_id=appointment.pk,
            purpose=purpose,
            success_url=landing,
            cancel_url=landing,
            language=request.LANGUAGE_CODE,
            account=account,
        )
    return Response(_payment_out(appointment, started.payment, started.url, purpose))


def _payment_state(appointment, *, purpose: str) -> Response:
    with business_scope(appointment.business):
        payment = open_online_payment(appointment=appointment, purpose=purpose)
        if payment is None:
            payment = (
                FinancePayment.objects.filter(
                    business=appointment.business, appointment=appointment
                )
                .order_by("-id")
                .first()
            )
        if payment is not None:
            payment = finance.online_checkout_return(
                business=appointment.business, payment_id=payment.pk
            )
    url = payment.detail.get("checkout_url", "") if payment is not None else ""
    if payment is not None and payment.state != FinancePayment.State.PENDING:
        url = ""
    return Response(_payment_out(appointment, payment, url, purpose))


class DraftPaymentApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        request=None,
        responses=DraftPaymentOut,
        parameters=[TOKEN, IDEMPOTENCY],
        summary="Pay the deposit of a confirmed draft: returns the payment page's URL "
        "(the same payment and page when called again; empty once paid)",
    )
    def post(self, request, token: str):
        draft = _draft(request, token)
        if not draft.confirmed_at:
            raise NotFound(_("Confirm the booking first."))
        return run_idempotent(
            request,
            operation=f"booking_draft.pay:{draft.pk}",
            handler=lambda: _pay(request, _appointment_of(draft), purpose="deposit"),
        )

    @extend_schema(
        responses=DraftPaymentOut,
        parameters=[TOKEN],
        summary="Where the deposit payment stands (asks the provider when still pending)",
    )
    def get(self, request, token: str):
        draft = _draft(request, token)
        return _payment_state(_appointment_of(draft), purpose="deposit")


class VisitPayApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=DraftPaymentOut,
        parameters=[IDEMPOTENCY],
        summary="Pay what my visit still owes online: its deposit while held, else the balance",
    )
    def post(self, request, appointment_id: int):
        appointment = _own(request, appointment_id)
        purpose = "deposit" if appointment.status == Status.AWAITING_DEPOSIT else "balance"
        return run_idempotent(
            request,
            operation=f"visit.pay:{appointment.pk}",
            handler=lambda: _pay(request, appointment, purpose=purpose, account=request.user),
        )


def _appointment_of(draft):
    with scopes_disabled():
        return Appointment.objects.select_related("business").get(pk=draft.appointment_id)


def _own(request, appointment_id: int):
    try:
        return services._own_appointment(request.user, appointment_id)
    except NotFound as exc:
        raise Http404 from exc
