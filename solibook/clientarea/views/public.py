"""The booking wizard: four steps at most, plain forms and links (works
without JavaScript), enhanced with htmx where the page has it.

1. services and master ("any")          GET  book/<slug>/
2. day and slot (holds it)              GET/POST book/<slug>/time/
3. who you are: sign in, sign up or a guest with a verified e-mail or phone
                                        GET/POST book/d/<token>/   (skipped when signed in)
4. confirm: total, duration, policy, promo code
                                        GET/POST book/d/<token>/confirm/

The draft token is kept in the session that held it; another browser with
the URL gets a 404.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.accounts import services as accounts
from solibook.booking.models import Status
from solibook.booking.selectors import ItemSpec, class_sessions_upcoming
from solibook.clientarea import services
from solibook.clientarea.forms import CodeForm, ConfirmForm, GuestForm, QuickSignUpForm
from solibook.clientarea.selectors import bookable_menu, visit_payment_state
from solibook.clientarea.views.chain import per_service_masters, with_master_choices
from solibook.commissions import services as commissions
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.ids import as_db_id
from solibook.core.refusals import refusals
from solibook.core.time import engine_date_message, engine_date_ok
from solibook.corporate.selectors import wellness_step_due

SESSION_KEY = "booking_drafts"
MAX_SERVICES = 5


def _business(slug: str):
    try:
        return services.public_business(slug)
    except NotFound as exc:
        raise Http404 from exc


def _int(value, default=None):
    try:
        number = as_db_id(int(value))
    except (TypeError, ValueError):
        return default
    return default if number is None else number


class Choice:
    """What the client chose in step 1, read from the query string or form."""

    def __init__(self, data, *, menu, masters, location, today: date):
        ids = {s.id for s in menu}
        self.service_ids = list(
            dict.fromkeys(i for i in (_int(v) for v in data.getlist("service")) if i in ids)
        )[:MAX_SERVICES]
        master = data.get("master", "any")
        self.master_id = _int(master) if master != "any" else None
        if self.master_id is not None and self.master_id not in {m.pk for m in masters}:
            self.master_id = None
        # A master per service (`master_<service id>`), chained across masters;
        # `master` is the default for services without their own choice.
        self.masters = per_service_masters(data, menu=menu, default=self.master_id)
        self.master_names = {m.pk: m.display_name for m in masters}
        self.location = location
        self.date_error = ""
        try:
            self.day = date.fromisoformat(data.get("date", ""))
        except ValueError:
            self.day = today
        if not engine_date_ok(self.day):  # year 1 or 9999: a 400 that says why
            self.day, self.date_error = today, engine_date_message()
        self.day = max(self.day, today)
        self.chosen = [s for s in menu if s.id in self.service_ids]

    @property
    def specs(self) -> list[ItemSpec]:
        return [ItemSpec(service_id=i, master_id=self.masters.get(i)) for i in self.service_ids]

    @property
    def lines(self) -> list[tuple]:
        """(service, its master's name or None for any), in the order chosen."""
        return [(s, self.master_names.get(self.masters.get(s.id) or 0)) for s in self.chosen]

    @property
    def master_params(self) -> list[tuple[str, str]]:
        return [(f"master_{i}", str(self.masters.get(i) or "any")) for i in self.service_ids]

    def query(self, **override) -> str:
        params = [
            ("location", self.location.pk),
            *[("service", i) for i in self.service_ids],
            ("master", self.master_id or "any"),
            *self.master_params,
            ("date", self.day.isoformat()),
        ]
        params = [(k, override.get(k, v)) for k, v in params]
        return urlencode(params)

    def pinned_specs(self, pinned: str) -> list[ItemSpec]:
        """The specs with the masters a slot showed ("12.15", one per service,
        in order), where the client left the master to us. Anything else (a
        master who does not do the service, the wrong count) is ignored."""
        ids = [_int(i) for i in pinned.split(".")] if pinned else []
        specs = self.specs
        if len(ids) != len(specs):
            return specs
        by_id = {s.id: s for s in self.chosen}
        return [
            ItemSpec(service_id=spec.service_id, master_id=master)
            if spec.master_id is None and master in by_id[spec.service_id].master_ids
            else spec
            for spec, master in zip(specs, ids, strict=True)
        ]

    @property
    def priced_lines(self) -> list[dict]:
        """Each chosen service with what it costs and takes: the chosen
        master's own price and pace, or for "any master" the least and the
        most of them (shown "from ..." and as a range until a slot is chosen)."""
        out = []
        for service in self.chosen:
            master = self.masters.get(service.id)
            one = master is not None
            out.append(
                {
                    "service": service,
                    "master": self.master_names.get(master or 0),
                    "price": service.price_for(master),
                    "price_from": service.price_is_from or (not one and service.price_varies),
                    "duration": service.duration_for(master),
                    "duration_max": service.duration_for(master) if one else service.duration_max,
                }
            )
        return out

    @property
    def total(self) -> int:
        return sum(line["price"] for line in self.priced_lines)

    @property
    def total_is_from(self) -> bool:
        return any(line["price_from"] for line in self.priced_lines)

    @property
    def duration(self) -> int:
        return sum(line["duration"] for line in self.priced_lines)

    @property
    def duration_max(self) -> int:
        return sum(line["duration_max"] for line in self.priced_lines)


def _setup(request, slug: str):
    business = _business(slug)
    try:
        location = services.public_location(
            business=business,
            location_id=_int(request.GET.get("location") or request.POST.get("location")),
        )
    except NotFound as exc:
        raise Http404 from exc
    menu, masters = bookable_menu(business=business, location=location)
    today = timezone.now().astimezone(ZoneInfo(location.time_zone)).date()
    data = request.POST if request.method == "POST" else request.GET
    return (
        business,
        location,
        menu,
        masters,
        Choice(data, menu=menu, masters=masters, location=location, today=today),
    )


def _first_touch(request, business) -> None:
    """?via= on a booking link (a search result, a promoted placement, the
    salon's own link or widget): kept as the visitor's first touch."""
    if request.GET.get("via"):
        commissions.touch_seen(
            session=request.session, business_id=business.pk, via=request.GET["via"]
        )


def step_services(request, slug: str):
    business, location, menu, masters, choice = _setup(request, slug)
    _first_touch(request, business)
    with_locations = services.public_locations(business=business)
    return render(
        request,
        "clientarea/wizard/services.html",
        {
            "business": business,
            "location": location,
            "locations": with_locations,
            "menu": with_master_choices(menu=menu, masters=masters, choice=choice),
            "has_classes": bool(class_sessions_upcoming(location=location, now=timezone.now())),
            "masters": masters,
            "choice": choice,
            "step": 1,
        },
    )


def _remember(request, token: str) -> None:
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != token][-9:]
    request.session[SESSION_KEY] = [*tokens, token]


def step_time(request, slug: str):
    business, location, menu, masters, choice = _setup(request, slug)
    _first_touch(request, business)
    if not choice.service_ids:
        return redirect(
            f"{reverse('clientarea:book', args=[slug])}?{urlencode({'location': location.pk, 'error': 'services'})}"
        )
    error, alternatives, status = choice.date_error, [], 400 if choice.date_error else 200
    if request.method == "POST" and not choice.date_error:
        # A slot's button posts to "?pin=<master>.<master>": the masters whose
        # price the slot showed. No pin (an alternative, an old page) lets the
        # engine choose.
        pinned = request.GET.get("pin", "")[:200]
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
            if start.tzinfo is None or not engine_date_ok(start):  # not a time we offered
                raise ValueError
        except ValueError:
            error, status = _("Choose a time from the list."), 400
        else:
            try:
                draft = services.booking_hold(
                    business=business,
                    location_id=location.pk,
                    specs=choice.pinned_specs(pinned),
                    start=start,
                    user=request.user,
                )
            except Conflict as exc:
                error, status = exc.message, 409
                alternatives = [
                    _alternative(a, location) for a in exc.extra.get("alternatives", [])
                ]
            except ValidationFailed as exc:
                error, status = exc.message, 400
            else:
                commissions.touch_record(appointment=draft.appointment, session=request.session)
                _remember(request, draft.token)
                target = (
                    "clientarea:book_confirm"
                    if request.user.is_authenticated
                    else "clientarea:book_details"
                )
                return redirect(target, token=draft.token)
    try:
        by_day = services.wizard_slots(
            business=business, location=location, specs=choice.specs, day=choice.day
        )
    except ValidationFailed as exc:
        by_day, error, status = {}, exc.message, 400
    context = {
        "business": business,
        "location": location,
        "choice": choice,
        "masters": masters,
        "by_day": by_day,
        "slots": by_day.get(choice.day, []),
        "error": error,
        "alternatives": alternatives,
        "step": 2,
        "previous_day": choice.day - timedelta(days=7),
        "next_day": choice.day + timedelta(days=7),
        "can_go_back": choice.day > timezone.now().astimezone(ZoneInfo(location.time_zone)).date(),
    }
    template = (
        "clientarea/wizard/_slot_picker.html"
        if request.htmx and not request.htmx.boosted and request.method == "GET"
        else "clientarea/wizard/time.html"
    )
    return render(request, template, context, status=status)


def _alternative(data: dict, location) -> dict:
    zone = ZoneInfo(location.time_zone)
    return {**data, "start_local": datetime.fromisoformat(data["start"]).astimezone(zone)}


def _draft(request, token: str):
    if token not in request.session.get(SESSION_KEY, []):
        raise Http404
    try:
        draft = services.draft_get(token)
    except NotFound as exc:
        raise Http404 from exc
    if draft.user_id and (not request.user.is_authenticated or draft.user_id != request.user.pk):
        raise Http404
    return draft


def step_details(request, token: str):
    draft = _draft(request, token)
    if request.user.is_authenticated or draft.verified_at:
        return redirect("clientarea:book_confirm", token=token)
    guest = GuestForm(
        request.POST if request.POST.get("action") == "send" else None,
        initial={
            "name": draft.guest_name,
            "channel": draft.channel or "email",
            "destination": draft.destination,
        },
    )
    code = CodeForm(request.POST if request.POST.get("action") == "verify" else None)
    signup = QuickSignUpForm(request.POST if request.POST.get("action") == "signup" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        # The refusal goes on the form of the step that was sent.
        form = {"send": guest, "verify": code, "signup": signup}.get(action, guest)
        with refusals(form) as refused:
            if action == "send" and guest.is_valid():
                services.draft_send_code(token=token, **guest.cleaned_data)
                draft.refresh_from_db()
            elif action == "verify" and code.is_valid():
                services.draft_verify(token=token, code=code.cleaned_data["code"])
                return redirect("clientarea:book_confirm", token=token)
            elif action == "signup" and signup.is_valid():
                user = accounts.user_register(
                    **signup.cleaned_data,
                    language=request.LANGUAGE_CODE,
                    base_url=request.build_absolute_uri("/")[:-1],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                _remember(request, token)
                services.draft_attach_user(token=token, user=user)
                return redirect("clientarea:book_confirm", token=token)
            else:
                status = 400
        if refused:
            status = refused.status
    summary = services.draft_summary(draft)
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': reverse('clientarea:book_confirm', args=[token])})}"
    return render(
        request,
        "clientarea/wizard/details.html",
        {
            "draft": draft,
            "summary": summary,
            "guest": guest,
            "code": code,
            "signup": signup,
            "login_url": login_url,
            "step": 3,
            "business": draft.business,
            "code_sent": bool(draft.code_hash),
        },
        status=status,
    )


def step_confirm(request, token: str):
    draft = _draft(request, token)
    if draft.confirmed_at:
        return redirect("clientarea:book_done", token=token)
    if request.user.is_authenticated and draft.user_id is None:
        draft = services.draft_attach_user(token=token, user=request.user)
    if not services.draft_identified(draft):
        return redirect("clientarea:book_details", token=token)
    form = ConfirmForm(request.POST or None)
    promo = ""
    alternatives, status, error = [], 200, ""
    if request.method == "POST" and form.is_valid():
        promo = form.cleaned_data["promo_code"].strip()
        # A taken time is not the form's fault: it is said above the form, with
        # the nearest free times; any other refusal goes on the form.
        with refusals(form) as refused:
            try:
                if request.POST.get("action") == "apply":
                    services.draft_summary(draft, promo_code=promo)  # checks the code
                else:
                    services.draft_confirm(token=token, user=request.user, promo_code=promo)
                    return redirect("clientarea:book_done", token=token)
            except Conflict as exc:
                error, status = exc.message, 409
                alternatives = [
                    _alternative(a, draft.appointment.location)
                    for a in exc.extra.get("alternatives", [])
                ]
        if refused:
            promo, status = "", refused.status
    summary = services.draft_summary(draft, promo_code=promo)
    return render(
        request,
        "clientarea/wizard/confirm.html",
        {
            "draft": draft,
            "summary": summary,
            "form": form,
            "error": error,
            "alternatives": alternatives,
            "step": 4 if not request.user.is_authenticated else 3,
            "business": draft.business,
            "again_url": _again_url(draft),
            "service_ids": _service_ids(draft),
        },
        status=status,
    )


def _service_ids(draft) -> list[int]:
    with scopes_disabled():
        return list(
            draft.appointment.items.order_by("position").values_list("service_id", flat=True)
        )


def _again_url(draft) -> str:
    params = [
        ("location", draft.appointment.location_id),
        *[("service", i) for i in _service_ids(draft)],
        ("master", "any"),
    ]
    return f"{reverse('clientarea:book_time', args=[draft.business.slug])}?{urlencode(params)}"


def step_done(request, token: str):
    draft = _draft(request, token)
    if not draft.confirmed_at:
        return redirect("clientarea:book_confirm", token=token)
    if request.GET.get("wellness") != "done" and wellness_step_due(
        user=request.user, appointment=draft.appointment
    ):  # an employee's payment step: the employer's wellness budget first, then a card
        done = f"{reverse('clientarea:book_done', args=[token])}?wellness=done"
        pay = reverse("corporate:visit_pay", args=[draft.appointment.pk])
        return redirect(f"{pay}?{urlencode({'next': done})}")
    if draft.appointment.status in (Status.AWAITING_DEPOSIT, Status.EXPIRED):
        return redirect("clientarea:book_pay", token=token)  # the deposit is paid first
    return render(
        request,
        "clientarea/wizard/done.html",
        {
            "draft": draft,
            "summary": services.draft_summary(draft),
            "business": draft.business,
            "payment": visit_payment_state(draft.appointment),
        },
    )
