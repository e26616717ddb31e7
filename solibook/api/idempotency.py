"""`Idempotency-Key`: one effect per key, however often a request is sent.

The key's row is inserted in the same transaction as the operation, so the
effect and the stored response commit together. A concurrent request with
the same key waits on the row's unique index, then replays the stored
response. The same key with another body is refused (422). A failed
operation's error response is stored afterwards, so a replay gets it too,
except `Busy` (a lock wait that ran out): that one is worth retrying, so it is
answered (409, `Retry-After`) and not stored. A key still in flight in another
request makes this one wait at most the lock timeout, then get that 409 too.
Bodies are sent and stored with their keys sorted, so a replay is
byte-for-byte the first response (a jsonb column does not keep key order).
Keys are kept 24 hours (`idempotency_prune`).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response
from rest_framework.utils import encoders

from solibook.api.errors import error_body
from solibook.api.models import IdempotencyRecord
from solibook.core.errors import DomainError
from solibook.core.locking import Busy

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)


def _fingerprint(operation: str, data) -> str:
    canonical = json.dumps(
        {"op": operation, "data": data}, sort_keys=True, default=str, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _scope(request) -> str:
    user = request.user
    return (
        f"user:{user.pk}"
        if user.is_authenticated
        else f"anon:{request.META.get('REMOTE_ADDR', '')}"
    )


def _canonical(data):
    """Plain JSON with its keys sorted at every level."""
    return json.loads(json.dumps(data, cls=encoders.JSONEncoder, sort_keys=True))


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(_canonical(record.response_body), status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def run_idempotent(request, *, operation: str, handler: Callable[[], Response]) -> Response:
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic():
            return handler()
    if not (key.isascii() and key.isprintable()):
        return Response(
            error_body(
                code="invalid",
                message=_("The Idempotency-Key header must use printable ASCII characters only."),
            ),
            status=400,
        )
    if not 1 <= len(key) <= 200:
        return Response(
            error_body(
                code="invalid",
                message=_("The Idempotency-Key header must have 1 to 200 characters."),
            ),
            status=400,
        )
    scope, fingerprint = _scope(request), _fingerprint(operation, request.data)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        scope=scope, key=key, request_hash=fingerprint
                    )
            except IntegrityError:
                # Another request holds this key: wait for it to commit, then replay.
                record = IdempotencyRecord.objects.select_for_update().get(scope=scope, key=key)
                if record.created_at < timezone.now() - KEEP:
                    record.request_hash, record.status_code, record.response_body = (
                        fingerprint,
                        None,
                        None,
                    )
                    record.created_at = timezone.now()
                elif record.request_hash != fingerprint:
                    return Response(
                        error_body(
                            code="idempotency_key_reused",
                            message=_("This Idempotency-Key was used with a different request."),
                        ),
                        status=422,
                    )
                elif record.status_code is not None:
                    return _replay(record)
            response = handler()
            response.data = _canonical(response.data)
            record.status_code, record.response_body = response.status_code, response.data
            record.save()
            return response
    except Busy:
        raise  # worth retrying: the API's error handler answers 409 with Retry-After
    except DomainError as exc:
        body = _canonical(
            error_body(code=exc.code, message=exc.message, fields=exc.fields, **exc.extra)
        )
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.update_or_create(
                    scope=scope,
                    key=key,
                    defaults={
                        "request_hash": fingerprint,
                        "status_code": exc.status_code,
                        "response_body": body,
                    },
                )
        except IntegrityError:
            pass  # a concurrent retry stored its own outcome first
        return Response(body, status=exc.status_code)


def idempotency_prune(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted


# The header, as every write that honours it documents it in the schema.
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)
