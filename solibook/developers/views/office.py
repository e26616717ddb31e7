"""The developer page of the back office (owners and managers:
`manage_business`): API keys, webhooks with their delivery log and replay,
examples. Thin: a form, one service call, in the business's scope. A new
key or secret is shown in the answer to the request that made it, never again.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.developers import services
from solibook.developers.forms import ApiKeyForm, WebhookForm
from solibook.developers.models import ApiKey, WebhookDelivery, WebhookEndpoint

MANAGE = Capability.MANAGE_BUSINESS


def _home(request, *, key_form=None, webhook_form=None, issued=None, status=200):
    api_base = request.build_absolute_uri("/api/v1/")
    return render(
        request,
        "developers/office/home.html",
        {
            "keys": ApiKey.objects.order_by("-created_at", "-id"),
            "endpoints": WebhookEndpoint.objects.order_by("-created_at", "-id"),
            "key_form": key_form or ApiKeyForm(),
            "webhook_form": webhook_form or WebhookForm(),
            "issued": issued,
            "api_base": api_base,
            "docs_url": request.build_absolute_uri("/api/docs/"),
        },
        status=status,
    )


@backoffice_view(MANAGE)
def home(request):
    return _home(request)


@backoffice_view(MANAGE)
def key_create(request):
    if request.method != "POST":  # the address of a page that showed a secret once
        return redirect("developers:home", business_slug=request.business.slug)
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _home(request, key_form=form, status=400)
    with refusals(form) as refused:
        issued = services.api_key_create(
            business=request.business, actor=request.user, **form.cleaned_data
        )
    if refused:
        return _home(request, key_form=form, status=refused.status)
    return _home(request, issued={"kind": "key", "name": issued.obj.name, "secret": issued.secret})


@require_POST
@backoffice_view(MANAGE)
def key_rotate(request, key_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        issued = services.api_key_rotate(
            business=request.business, actor=request.user, key_id=key_id
        )
    if refused:
        return redirect("developers:home", business_slug=request.business.slug)
    return _home(request, issued={"kind": "key", "name": issued.obj.name, "secret": issued.secret})


@require_POST
@backoffice_view(MANAGE)
def key_revoke(request, key_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.api_key_revoke(business=request.business, actor=request.user, key_id=key_id)
    if not refused:
        messages.success(request, _("Key revoked: it no longer works."))
    return redirect("developers:home", business_slug=request.business.slug)


@backoffice_view(MANAGE)
def webhook_create(request):
    if request.method != "POST":  # the address of a page that showed a secret once
        return redirect("developers:home", business_slug=request.business.slug)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _home(request, webhook_form=form, status=400)
    with refusals(form) as refused:
        issued = services.endpoint_create(
            business=request.business, actor=request.user, **form.cleaned_data
        )
    if refused:
        return _home(request, webhook_form=form, status=refused.status)
    return _webhook(request, issued.obj, secret=issued.secret)


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def _webhook(request, endpoint, *, secret=None, form=None, status=200):
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related("tries")
        .order_by("-created_at", "-id")[:50]
    )
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    return render(
        request,
        "developers/office/webhook.html",
        {
            "endpoint": endpoint,
            "deliveries": deliveries,
            "secret": secret,
            "form": form or WebhookForm(initial=initial),
        },
        status=status,
    )


@backoffice_view(MANAGE)
def webhook_detail(request, endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    if request.method != "POST":
        return _webhook(request, endpoint)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _webhook(request, endpoint, form=form, status=400)
    with refusals(form) as refused:
        services.endpoint_update(
            business=request.business,
            actor=request.user,
            endpoint_id=endpoint.pk,
            **form.cleaned_data,
        )
    if refused:
        return _webhook(request, endpoint, form=form, status=refused.status)
    messages.success(request, _("Webhook saved."))
    return redirect("developers:webhook_detail", request.business.slug, endpoint.pk)


@require_POST
@backoffice_view(MANAGE)
def webhook_rotate(request, endpoint_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        issued = services.endpoint_rotate_secret(
            business=request.business, actor=request.user, endpoint_id=endpoint_id
        )
    if refused:
        return redirect("developers:home", business_slug=request.business.slug)
    return _webhook(request, issued.obj, secret=issued.secret)


def _action(request, endpoint_id: int, service, done: str, **extra):
    with refusals(request=request, not_found_404=True) as refused:
        service(business=request.business, actor=request.user, endpoint_id=endpoint_id, **extra)
    if not refused:
        messages.success(request, done)
    return redirect("developers:webhook_detail", request.business.slug, endpoint_id)


@require_POST
@backoffice_view(MANAGE)
def webhook_resume(request, endpoint_id: int):
    return _action(request, endpoint_id, services.endpoint_resume, _("Webhook resumed."))


@require_POST
@backoffice_view(MANAGE)
def webhook_test(request, endpoint_id: int):
    return _action(request, endpoint_id, services.endpoint_ping, _("Test message queued."))


@require_POST
@backoffice_view(MANAGE)
def delivery_replay(request, endpoint_id: int, delivery_id: int):
    return _action(
        request,
        endpoint_id,
        services.delivery_replay,
        _("Message queued to be sent again."),
        delivery_id=delivery_id,
    )


@require_POST
@backoffice_view(MANAGE)
def webhook_delete(request, endpoint_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.endpoint_delete(
            business=request.business, actor=request.user, endpoint_id=endpoint_id
        )
    if not refused:
        messages.success(request, _("Webhook deleted."))
    return redirect("developers:home", business_slug=request.business.slug)
