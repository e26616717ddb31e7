"""The salon's back-office referral pages: programme, review queue, partners and
their statements, invites to other salons."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.referrals import fraud, selectors, services
from solibook.referrals.forms import (
    DecisionForm,
    InviteAcceptForm,
    InviteForm,
    ProgrammeForm,
    StatementForm,
)
from solibook.referrals.models import (
    Partner,
    ReferralStatus,
    SalonInvite,
)


@backoffice_view(Capability.MANAGE_CLIENTS)
def office_referrals(request):
    business = request.business
    programme = services.programme_for(business=business)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST":
        if not request.access.can(Capability.MANAGE_BUSINESS):
            raise PermissionDenied
        if form.is_valid():
            with refusals(form) as refused:
                services.programme_update(
                    business=business,
                    actor=request.user,
                    **{f: form.cleaned_data[f] for f in ProgrammeForm.Meta.fields},
                )
            if not refused:
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
    return render(request, "referrals/office/referrals.html", context)


@backoffice_view(Capability.MANAGE_CLIENTS)
def office_review(request):
    rows = list(
        selectors.referrals_for_business(business=request.business, status=ReferralStatus.HELD)[
            :200
        ]
    )
    return render(
        request,
        "referrals/office/review.html",
        {"referrals": [(r, fraud.reason_labels(r.reasons)) for r in rows]},
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_review_decide(request, referral_id: int):
    decision = request.POST.get("decision")
    with refusals(request=request, not_found_404=True) as refused:
        services.referral_review(
            business=request.business,
            referral_id=referral_id,
            approve=decision in ("approve", "household"),
            household=decision == "household",
            actor=request.user,
        )
    if not refused:
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
        "referrals/office/partners.html",
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
    with refusals(request=request) as refused:
        services.partner_decide(
            business=request.business,
            partner_id=partner_id,
            approve=approve,
            actor=request.user,
            **commission,
        )
    if not refused:
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
        with refusals(request=request) as refused:
            services.statement_close(
                business=request.business,
                partner_id=partner_id,
                month=form.cleaned_data["month"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Statement created."))
    return redirect("referrals:office_partners", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_statement_pay(request, statement_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.statement_pay(
            business=request.business,
            statement_id=statement_id,
            reference=request.POST.get("reference", "")[:120],
            actor=request.user,
        )
    if not refused:
        messages.success(request, _("Payout recorded in the ledger."))
    return redirect("referrals:office_partners", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def office_invites(request):
    business = request.business
    form, accept_form = InviteForm(), InviteAcceptForm()
    if request.method == "POST":
        if "code" in request.POST:
            accept_form = InviteAcceptForm(request.POST)
            if accept_form.is_valid():
                with refusals(accept_form):
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
                with refusals(form):
                    invite = services.salon_invite_create(
                        business=business, email=form.cleaned_data["email"], actor=request.user
                    )
                    messages.success(
                        request,
                        _("Invitation created: give the salon the code %(code)s.")
                        % {"code": invite.code},
                    )
                    return redirect("referrals:office_invites", business_slug=business.slug)
    invites = list(SalonInvite.objects.filter(inviter=business).select_related("invitee"))
    return render(
        request,
        "referrals/office/invites.html",
        {"form": form, "accept_form": accept_form, "invites": invites},
    )
