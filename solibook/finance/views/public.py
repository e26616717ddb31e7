"""The test-mode provider's card page and 3-D Secure page (`payments.testmode`).

What Stripe's hosted page does in production, a page of ours does in test
mode, saying so in large letters: test cards only, nothing is charged. The
intent id in the URL is its bearer secret (like a Checkout Session's URL).
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from solibook.finance.forms import TestCardForm
from solibook.finance.payments import ProviderError
from solibook.finance.payments.testmode import TestModeProvider, decline_message

WAITING = "requires_payment_method"


def _intent(intent_id: str):
    if not settings.PAYMENTS_TEST_MODE:
        raise Http404
    intent = TestModeProvider().page_intent(intent_id)
    if intent is None:
        raise Http404
    return intent


def _back(request, url: str):
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        raise Http404
    return HttpResponseRedirect(url)


def testmode_pay(request, intent_id: str):
    intent = _intent(intent_id)
    if intent.status == "requires_action":
        return redirect("finance:testmode_challenge", intent_id=intent.id)
    if intent.status in ("requires_capture", "succeeded"):
        return _back(request, intent.success_url)  # paid already (a double click, the back button)
    form = TestCardForm(request.POST if request.method == "POST" else None)
    # A failed 3-D Secure check sends the client back here: say why.
    error = (
        decline_message(intent.last_error) if intent.last_error == "authentication_failed" else ""
    )
    status = 200
    if request.method == "POST" and intent.status == WAITING and form.is_valid():
        try:
            intent = TestModeProvider().card_submit(intent.id, **form.cleaned_data)
        except ProviderError as exc:
            error, status = exc.message, 402
        else:
            if intent.status == "requires_action":
                return redirect("finance:testmode_challenge", intent_id=intent.id)
            if intent.status in ("requires_capture", "succeeded"):
                return _back(request, intent.success_url)
    elif request.method == "POST" and intent.status == WAITING:
        status = 400
    return render(
        request,
        "finance/public/testmode_pay.html",
        {"intent": intent, "form": form, "error": error, "cancelled": intent.status == "canceled"},
        status=status,
    )


def testmode_challenge(request, intent_id: str):
    intent = _intent(intent_id)
    if intent.status != "requires_action":
        return redirect("finance:testmode_pay", intent_id=intent.id)
    if request.method == "POST":
        complete = request.POST.get("action") == "complete"
        try:
            TestModeProvider().challenge_answer(intent.id, complete=complete)
        except ProviderError:
            # Back on the card page, which says why (the intent's last error).
            return redirect("finance:testmode_pay", intent_id=intent.id)
        return _back(request, intent.success_url)
    return render(request, "finance/public/testmode_challenge.html", {"intent": intent})
