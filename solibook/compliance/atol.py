"""54-FZ receipts through ATOL Online, API v4 (a fiscal data operator's cloud cash register).

The protocol (ATOL Online's "API v4" documentation):

1. `POST {base}/getToken` with `{"login", "pass"}` → `{"token"}` (valid 24 h);
2. `POST {base}/{group_code}/sell` (or `sell_refund`) with header `Token` and
   the receipt `{"external_id", "receipt": {client, company, items, payments,
   vats, total}, "timestamp"}` → `{"uuid", "status": "wait"}`. The operator
   refuses a second document with the same `external_id` in the group (error
   code 33) and names the first one's uuid: a resend after a lost answer
   registers nothing twice;
3. `GET {base}/{group_code}/report/{uuid}` → `status` `wait`, `done` (with
   `payload`: `fn_number`, `fiscal_document_number`,
   `fiscal_document_attribute`, `receipt_datetime`) or `fail` (with `error`).

Amounts are roubles as numbers with two decimals; VAT types name the rate
(`vat22`, `vat20`, `vat10`, `vat0`, `none` when the seller is not a VAT payer;
22 % since 2026). The base URL comes from `COMPLIANCE_ATOL_BASE` (production)
or `COMPLIANCE_ATOL_SANDBOX_BASE` (the operator's test environment), so the
tests point it at a local server. Standard library HTTP with a timeout.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

PRODUCTION = "https://online.atol.ru/possystem/v4"
SANDBOX = "https://testonline.atol.ru/possystem/v4"
TIMEOUT = 20
DUPLICATE_EXTERNAL_ID = 33
# Basis points → ATOL's VAT type.
VAT_TYPES = {0: "vat0", 500: "vat5", 700: "vat7", 1000: "vat10", 2000: "vat20", 2200: "vat22"}
# Our tenders → ATOL's payment types (0 cash, 1 electronic, 2 prepayment: a
# gift card or client credit spends money received earlier).
PAYMENT_TYPES = {"cash": 0, "gift_card": 2, "client_credit": 2}


class OperatorError(Exception):
    """`retry`: worth trying again later (network down, 5xx, busy); otherwise
    the operator refused the receipt and a person must look at it."""

    def __init__(self, detail: str, *, retry: bool):
        super().__init__(detail)
        self.detail = detail[:250]
        self.retry = retry


@dataclass(frozen=True)
class Report:
    status: str  # wait, done, fail
    fn_number: str = ""
    fd_number: str = ""
    fp: str = ""
    registered_at: str = ""
    error: str = ""


def base_url(sandbox: bool) -> str:
    if sandbox:
        return getattr(settings, "COMPLIANCE_ATOL_SANDBOX_BASE", "") or SANDBOX
    return getattr(settings, "COMPLIANCE_ATOL_BASE", "") or PRODUCTION


def rubles(minor: int) -> float:
    # Two decimals exactly: kopecks are integers, so this float prints as such.
    return float(Decimal(minor).scaleb(-2))


def _request(method: str, url: str, *, body: dict | None = None, token: str = "") -> dict:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    # The base URL comes from settings (https in production), never from a user.
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/json; charset=utf-8")
    if token:
        request.add_header("Token", token)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        # ATOL answers errors with a JSON body and 4xx; 5xx means try later.
        try:
            answer = json.loads(exc.read() or b"{}")
        except ValueError:
            answer = {}
        if exc.code >= 500 or exc.code == 429:
            raise OperatorError(f"HTTP {exc.code}", retry=True) from exc
        if isinstance(answer, dict) and answer.get("error"):
            return answer
        raise OperatorError(f"HTTP {exc.code}", retry=False) from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise OperatorError(f"unreachable: {exc}", retry=True) from exc


def _error_text(error: dict) -> str:
    return f"{error.get('code')}: {error.get('text') or ''}".strip()


class AtolClient:
    def __init__(self, *, login: str, password: str, group_code: str, sandbox: bool = False):
        self.login, self.password, self.group_code = login, password, group_code
        self.base = base_url(sandbox).rstrip("/")
        self._token = ""

    def token(self) -> str:
        if not self._token:
            answer = _request(
                "POST", f"{self.base}/getToken", body={"login": self.login, "pass": self.password}
            )
            if answer.get("error") or not answer.get("token"):
                raise OperatorError(_error_text(answer.get("error") or {}), retry=False)
            self._token = answer["token"]
        return self._token

    def register(self, operation: str, body: dict) -> str:
        """Send a receipt; the operator's uuid of it (also when it had it already)."""
        answer = _request(
            "POST", f"{self.base}/{self.group_code}/{operation}", body=body, token=self.token()
        )
        error = answer.get("error")
        if error and error.get("code") == DUPLICATE_EXTERNAL_ID and answer.get("uuid"):
            return answer["uuid"]
        if error or not answer.get("uuid"):
            raise OperatorError(_error_text(error or {}), retry=False)
        return answer["uuid"]

    def report(self, uuid: str) -> Report:
        answer = _request("GET", f"{self.base}/{self.group_code}/report/{uuid}", token=self.token())
        status = answer.get("status") or "wait"
        if status == "done":
            payload = answer.get("payload") or {}
            return Report(
                status="done",
                fn_number=str(payload.get("fn_number", "")),
                fd_number=str(payload.get("fiscal_document_number", "")),
                fp=str(payload.get("fiscal_document_attribute", "")),
                registered_at=str(payload.get("receipt_datetime", "")),
            )
        if status == "fail":
            return Report(status="fail", error=_error_text(answer.get("error") or {}))
        return Report(status="wait")
