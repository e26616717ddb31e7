"""Referral pages: the public landing of a link (with its preview card), the
friend's booking through it, the client's referral page, the partner's
dashboard, and the salon's and platform's back-office pages. Each POST calls
the same service as the API."""

import secrets
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import quote, urlparse
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Business, Location, Service
from solibook.core.errors import DomainError
from solibook.core.forms import form_error_from_domain
from solibook.core.money import format_money
from solibook.core.tenancy import business_scope
from solibook.referrals import fraud, selectors, services
from solibook.referrals.forms import (
    BookForm,
    CampaignForm,
    DecisionForm,
    InviteAcceptForm,
    InviteForm,
    PartnerSignupForm,
    ProgrammeForm,
    StatementForm,
)
from solibook.referrals.models import (
    Partner,
    PartnerStatus,
    Referral,
    ReferralCode,
    ReferralProgramme,
    ReferralStatus,
    RewardKind,
    SalonInvite,
)

DEVICE_COOKIE = "sb_device"
REF_COOKIE = "sb_ref"
YEAR = 365 * 24 * 3600


def _signals(request) -> dict:
    return {
        "ip": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "device": request.COOKIES.get(DEVICE_COOKIE, "")[:64],
    }


def _with_device(request, response):
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(24), max_age=YEAR, httponly=True, samesite="Lax"
        )
    return response


def reward_text(kind: str | None, value: int | None, currency: str, language: str) -> str:
    if not kind or not value:
        return ""
    if kind == RewardKind.POINTS:
        return _("%(points)s loyalty points") % {"points": value}
    amount = format_money(value, currency, language or "en")
    if kind == RewardKind.DISCOUNT:
        return _("%(amount)s off your first visit") % {"amount": amount}
    return _("%(amount)s of credit to spend at any salon") % {"amount": amount}


def share_links(url: str, text: str) -> list[tuple[str, str]]:
    u, t = quote(url, safe=""), quote(f"{text} {url}", safe="")
    return [
        ("WhatsApp", f"https://wa.me/?text={t}"),
        ("Telegram", f"https://t.me/share/url?url={u}&text={quote(text, safe='')}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("X", f"https://twitter.com/intent/tweet?url={u}&text={quote(text, safe='')}"),
        ("VK", f"https://vk.com/share.php?url={u}"),
        (_("E-mail"), f"mailto:?subject={quote(text, safe='')}&body={t}"),
    ]


def _code_or_404(code: str) -> ReferralCode:
    found = services.code_lookup(code)
    if found is None:
        raise Http404
    return found


def _preview(found: ReferralCode, request) -> dict:
    with scopes_disabled():
        programme = ReferralProgramme.objects.filter(business_id=found.business_id).first()
    language = getattr(request, "LANGUAGE_CODE", "en")
    reward = (
        reward_text(
            programme.friend_reward_kind,
            programme.friend_reward_value,
            found.business.currency,
            language,
        )
        if programme and programme.is_active
        else ""
    )
    return {"code": found, "business": found.business, "reward": reward}


# --- public: the link ---------------------------------------------------------------------


def landing(request, code: str):
    """The referral link: a preview card for messengers, a click recorded, a cookie."""
    found = _code_or_404(code)
    context = _preview(found, request)
    error = None
    try:
        services.code_check(code=found.code, friend=request.user, now=timezone.now())
    except DomainError as exc:
        error = exc.message
    is_bot = any(
        b in request.META.get("HTTP_USER_AGENT", "")
        for b in ("facebookexternalhit", "TelegramBot", "WhatsApp", "Twitterbot", "vkShare")
    )
    if not is_bot and request.method == "GET":
        referer = urlparse(request.META.get("HTTP_REFERER", "")).hostname or ""
        services.click_record(code=found, referer_host=referer, **_signals(request))
    context.update(
        {
            "error": error,
            "card_url": request.build_absolute_uri(
                reverse("referrals:card", kwargs={"code": found.code})
            ),
            "page_url": request.build_absolute_uri(),
            "book_url": reverse("referrals:book", kwargs={"code": found.code}),
        }
    )
    response = render(request, "referrals/landing.html", context)
    response.set_cookie(REF_COOKIE, found.code, max_age=30 * 24 * 3600, samesite="Lax")
    return _with_device(request, response)


@cache_control(public=True, max_age=3600)
def card(request, code: str):
    """The OpenGraph preview image (1200×630 PNG) of a referral link."""
    from PIL import Image, ImageDraw, ImageFont

    found = _code_or_404(code)
    context = _preview(found, request)
    image = Image.new("RGB", (1200, 630), (122, 46, 90))
    draw = ImageDraw.Draw(image)
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    try:
        big, small = (
            ImageFont.truetype(font_path, 72),
            ImageFont.truetype(font_path.replace("-Bold", ""), 40),
        )
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((80, 150), found.business.name[:28], font=big, fill="white")
    draw.text(
        (80, 290),
        (context["reward"] or _("Book your first visit"))[:50],
        font=small,
        fill=(255, 230, 240),
    )
    draw.text((80, 480), f"Solibook · {found.code}", font=small, fill=(255, 230, 240))
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return HttpResponse(out.getvalue(), content_type="image/png")


def _slots(location: Location, service: Service, day) -> list[tuple[str, str]]:
    zone = ZoneInfo(location.time_zone)
    with business_scope(location.business):
        try:
            _loaded, slots = booking.slots_available(
                business=location.business,
                location_id=location.pk,
                specs=[ItemSpec(service_id=service.pk)],
                start_date=day,
                days=1,
                online=True,
                limit=48,
            )
        except DomainError:
            return []
    out = []
    for slot in slots:
        start = datetime.fromtimestamp(slot.start * 60, tz=ZoneInfo("UTC"))
        out.append((start.isoformat(), start.astimezone(zone).strftime("%H:%M")))
    return out


@login_required
def book(request, code: str):
    """Book a first visit through a referral link (the friend's side)."""
    found = _code_or_404(code)
    business = found.business
    try:
        services.code_check(code=found.code, business=business, friend=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("referrals:landing", code=found.code)
    with business_scope(business):
        location = Location.objects.filter(business=business).order_by("pk").first()
        service_list = list(
            Service.objects.filter(
                business=business, is_active=True, bookable_online=True
            ).order_by("position", "name")
        )
    if location is None or not service_list:
        raise Http404
    zone = ZoneInfo(location.time_zone)
    form = BookForm(
        request.GET or None,
        initial={"day": (timezone.now().astimezone(zone) + timedelta(days=1)).date()},
    )
    form.fields["service"].choices = [(s.pk, s.name) for s in service_list]
    slots, chosen = [], None
    if form.is_bound and form.is_valid():
        chosen = next((s for s in service_list if s.pk == form.cleaned_data["service"]), None)
        slots = _slots(location, chosen, form.cleaned_data["day"]) if chosen else []
    if request.method == "POST":
        service = next(
            (s for s in service_list if str(s.pk) == request.POST.get("service", "")), None
        )
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
        except ValueError:
            start = None
        if service is None or start is None or start.tzinfo is None:
            messages.error(request, _("Choose a service and a time."))
        else:
            try:
                with business_scope(business), transaction.atomic():
                    appointment = booking.appointment_create(
                        business=business,
                        location_id=location.pk,
                        specs=[ItemSpec(service_id=service.pk)],
                        start=start,
                        source=Source.REFERRAL,
                        actor=request.user,
                        client=request.user,
                    )
                    referral = services.referral_attach(
                        appointment=appointment,
                        code=found.code,
                        friend=request.user,
                        actor=request.user,
                        **_signals(request),
                    )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if referral.status == ReferralStatus.REJECTED:
                    messages.info(
                        request,
                        _(
                            "Your visit is booked. You are already a client of this salon, so the referral reward does not apply."
                        ),
                    )
                elif referral.status == ReferralStatus.HELD:
                    messages.info(
                        request,
                        _(
                            "Your visit is booked. The salon checks this referral before the reward is given."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Your visit is booked and your welcome reward is waiting for you."),
                    )
                return redirect("loyalty:wallet")
    context = {
        "code": found,
        "business": business,
        "location": location,
        "form": form,
        "slots": slots,
        "service": chosen,
    }
    return _with_device(request, render(request, "referrals/book.html", context))


# --- the client ---------------------------------------------------------------------------------


def _businesses_of(user) -> list[Business]:
    with scopes_disabled():
        ids = set(Appointment.objects.filter(client=user).values_list("business_id", flat=True))
        ids |= {
            c.business_id for c in ReferralCode.objects.filter(owner=user, partner__isnull=True)
        }
        active = set(
            ReferralProgramme.objects.filter(business_id__in=ids, is_active=True).values_list(
                "business_id", flat=True
            )
        )
        return list(Business.objects.filter(pk__in=active).order_by("name"))


@login_required
def my_referrals(request):
    """My codes and links per salon, with share buttons; my referred friends and rewards."""
    if request.method == "POST":
        business = next(
            (
                b
                for b in _businesses_of(request.user)
                if str(b.pk) == request.POST.get("business", "")
            ),
            None,
        )
        if business is None:
            messages.error(request, _("This salon has no referral programme."))
        else:
            with business_scope(business):
                services.code_personal(business=business, owner=request.user)
        return redirect("referrals:mine")
    services.owner_seen(user=request.user, **_signals(request))
    language = getattr(request, "LANGUAGE_CODE", "en")
    codes = []
    for code in selectors.codes_of(user=request.user):
        url = request.build_absolute_uri(reverse("referrals:landing", kwargs={"code": code.code}))
        text = _("Book at %(salon)s with my code %(code)s") % {
            "salon": code.business.name,
            "code": code.code,
        }
        codes.append({"code": code, "url": url, "text": text, "shares": share_links(url, text)})
    now = timezone.now()
    rewards = [(r, r.state(now)) for r in selectors.rewards_of(user=request.user)]
    have = {c["code"].business_id for c in codes}
    context = {
        "codes": codes,
        "referrals": selectors.referrals_made(user=request.user),
        "rewards": rewards,
        "vouchers": selectors.vouchers_of(user=request.user),
        "can_join": [b for b in _businesses_of(request.user) if b.pk not in have],
        "language": language,
        "now": now,
    }
    return _with_device(request, render(request, "referrals/mine.html", context))


@login_required
def partner_home(request):
    """The partner's dashboard at every salon they work with."""
    dashboards = []
    for partner in selectors.partnerships_of(user=request.user):
        with business_scope(partner.business):
            dash = selectors.partner_dashboard(partner=partner)
            links = [
                (
                    c,
                    request.build_absolute_uri(
                        reverse("referrals:landing", kwargs={"code": c.code.code})
                    )
                    if c.code
                    else "",
                )
                for c in dash.campaigns
            ]
            dashboards.append({"dash": dash, "links": links})
    return render(
        request,
        "referrals/partner_home.html",
        {"dashboards": dashboards, "campaign_form": CampaignForm()},
    )


@login_required
def partner_join(request, salon_slug: str):
    with scopes_disabled():
        business = Business.objects.filter(slug=salon_slug).first()
    if business is None:
        raise Http404
    form = PartnerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with business_scope(business):
                services.partner_signup(business=business, user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Thank you: the salon will review your application."))
            return redirect("referrals:partner_home")
    return render(request, "referrals/partner_join.html", {"form": form, "business": business})


@login_required
@require_POST
def partner_campaign(request, partner_id: int):
    with scopes_disabled():
        partner = (
            Partner.objects.select_related("business")
            .filter(pk=partner_id, user=request.user)
            .first()
        )
    if partner is None:
        raise Http404
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            with business_scope(partner.business):
                services.campaign_create(
                    business=partner.business, partner=partner, name=form.cleaned_data["name"]
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Campaign created with its own link and code."))
    else:
        messages.error(request, _("Name the campaign."))
    return redirect("referrals:partner_home")


# --- the salon ---------------------------------------------------------------------------------------


@backoffice_view(Capability.MANAGE_CLIENTS)
def office_referrals(request):
    business = request.business
    programme = services.programme_for(business=business)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST":
        if not request.access.can(Capability.MANAGE_BUSINESS):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.programme_update(
                    business=business,
                    actor=request.user,
                    **{f: form.cleaned_data[f] for f in ProgrammeForm.Meta.fields},
                )
            except DomainError as exc:
                form_error_from_domain(form, exc)
            else:
                messages.success(request, _("Referral programme saved."))
                return redirect("referrals:office", business_slug=business.slug)
    status = request.GET.get("status") or None
    if status not in ReferralStatus.values:
        status = None
    rows = list(selectors.referrals_for_business(business=business, status=status)[:200])
    context = {
        "form": form,
        "referrals": [(r, fraud.reason_labels(r.reasons)) for r in rows],
        "status": status,
        "statuses": ReferralStatus.choices,
        "summary": selectors.business_summary(
            business=business, since=timezone.now() - timedelta(days=30)
        ),
    }
    return render(request, "referrals/office_referrals.html", context)


@backoffice_view(Capability.MANAGE_CLIENTS)
def office_review(request):
    rows = list(
        selectors.referrals_for_business(business=request.business, status=ReferralStatus.HELD)[
            :200
        ]
    )
    return render(
        request,
        "referrals/office_review.html",
        {"referrals": [(r, fraud.reason_labels(r.reasons)) for r in rows]},
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_review_decide(request, referral_id: int):
    decision = request.POST.get("decision")
    try:
        services.referral_review(
            business=request.business,
            referral_id=referral_id,
            approve=decision in ("approve", "household"),
            household=decision == "household",
            actor=request.user,
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("referrals:office_review", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def office_partners(request):
    partners = list(Partner.objects.filter(business=request.business).select_related("user"))
    dashboards = [selectors.partner_dashboard(partner=p) for p in partners]
    join_url = request.build_absolute_uri(
        reverse("referrals:partner_join", kwargs={"salon_slug": request.business.slug})
    )
    return render(
        request,
        "referrals/office_partners.html",
        {
            "dashboards": dashboards,
            "decision_form": DecisionForm(),
            "statement_form": StatementForm(),
            "join_url": join_url,
        },
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_partner_decide(request, partner_id: int):
    if not Partner.objects.filter(business=request.business, pk=partner_id).exists():
        raise Http404
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    commission = form.cleaned_data if form.is_valid() else {}
    try:
        services.partner_decide(
            business=request.business,
            partner_id=partner_id,
            approve=approve,
            actor=request.user,
            **commission,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Partner approved.") if approve else _("Partner rejected."))
    return redirect("referrals:office_partners", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_statement_close(request, partner_id: int):
    if not Partner.objects.filter(business=request.business, pk=partner_id).exists():
        raise Http404
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month."))
    else:
        try:
            services.statement_close(
                business=request.business,
                partner_id=partner_id,
                month=form.cleaned_data["month"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Statement created."))
    return redirect("referrals:office_partners", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_statement_pay(request, statement_id: int):
    try:
        services.statement_pay(
            business=request.business,
            statement_id=statement_id,
            reference=request.POST.get("reference", "")[:120],
            actor=request.user,
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payout recorded in the ledger."))
    return redirect("referrals:office_partners", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def office_invites(request):
    business = request.business
    form, accept_form = InviteForm(), InviteAcceptForm()
    if request.method == "POST":
        try:
            if "code" in request.POST:
                accept_form = InviteAcceptForm(request.POST)
                if accept_form.is_valid():
                    services.salon_invite_accept(
                        business=business, code=accept_form.cleaned_data["code"], actor=request.user
                    )
                    messages.success(
                        request,
                        _("Thank you: both salons get subscription credit when yours goes live."),
                    )
                    return redirect("referrals:office_invites", business_slug=business.slug)
            else:
                form = InviteForm(request.POST)
                if form.is_valid():
                    invite = services.salon_invite_create(
                        business=business, email=form.cleaned_data["email"], actor=request.user
                    )
                    messages.success(
                        request,
                        _("Invitation created: give the salon the code %(code)s.")
                        % {"code": invite.code},
                    )
                    return redirect("referrals:office_invites", business_slug=business.slug)
        except DomainError as exc:
            form_error_from_domain(accept_form if "code" in request.POST else form, exc)
    invites = list(SalonInvite.objects.filter(inviter=business).select_related("invitee"))
    return render(
        request,
        "referrals/office_invites.html",
        {"form": form, "accept_form": accept_form, "invites": invites},
    )


# --- platform staff ------------------------------------------------------------------------------------


@staff_member_required
def platform_home(request):
    with scopes_disabled():
        partners = list(
            Partner.objects.select_related("business", "user").filter(status=PartnerStatus.PENDING)[
                :200
            ]
        )
        invites = list(SalonInvite.objects.select_related("inviter", "invitee")[:200])
        held = Referral.objects.filter(status=ReferralStatus.HELD).count()
        return render(
            request,
            "referrals/platform.html",
            {"partners": partners, "invites": invites, "held": held},
        )


@staff_member_required
@require_POST
def platform_partner_decide(request, partner_id: int):
    with scopes_disabled():
        partner = Partner.objects.select_related("business").filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    with business_scope(partner.business):
        services.partner_decide(
            business=partner.business,
            partner_id=partner.pk,
            approve=request.POST.get("decision") == "approve",
            actor=request.user,
        )
    messages.success(request, _("Decision recorded."))
    return redirect("referrals:platform")


@staff_member_required
@require_POST
def platform_invite_live(request, invite_id: int):
    try:
        services.salon_went_live(invite_id=invite_id, actor=request.user)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Subscription credit given to both salons."))
    return redirect("referrals:platform")
