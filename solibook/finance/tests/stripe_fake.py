"""A local HTTP server that answers like Stripe's API, for the real SDK.

Threaded `http.server`; the SDK is pointed at it with `stripe.api_base`. It
keeps payment intents, customers and refunds in memory, honours
`Idempotency-Key` (same key: same response), records every request (path,
form body, `Stripe-Account`), and signs webhook events the way Stripe does
(`t=…,v1=HMAC-SHA256(secret, "t.payload")`).
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

DECLINED = "pm_card_chargeDeclined"


def _unflatten(pairs):
    """metadata[a]=1 -> {"metadata": {"a": "1"}}"""
    out: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


class FakeStripe:
    def __init__(self):
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", "req_fake")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                path, _, query = self.path.partition("?")
                params = _unflatten(parse_qsl(raw or query, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key")
                with fake.lock:
                    fake.requests.append(
                        {
                            "method": method,
                            "path": path,
                            "params": params,
                            "account": self.headers.get("Stripe-Account"),
                            "key": key,
                        }
                    )
                    if method == "POST" and key and key in fake.idempotent:
                        status, body = fake.idempotent[key]
                    else:
                        status, body = fake.route(method, path, params)
                        if method == "POST" and key:
                            fake.idempotent[key] = (status, body)
                self._reply(status, body)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_DELETE(self):
                self._handle("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- the API ---------------------------------------------------------------

    def _error(self, status, kind, code, message, param=None):
        return status, {"error": {"type": kind, "code": code, "message": message, "param": param}}

    def route(self, method, path, p):
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "customers"] and method == "POST":
            return 200, {
                "id": f"cus_{next(self.ids)}",
                "object": "customer",
                "email": p.get("email"),
            }
        if parts[:2] == ["v1", "payment_intents"]:
            if len(parts) == 2 and method == "POST":
                return self._create_intent(p)
            intent = self.intents.get(parts[2])
            if intent is None:
                return self._error(
                    404, "invalid_request_error", "resource_missing", "No such payment_intent"
                )
            if len(parts) == 3:
                return 200, intent
            if parts[3] == "capture":
                if intent["status"] != "requires_capture":
                    return self._error(
                        400,
                        "invalid_request_error",
                        "payment_intent_unexpected_state",
                        "This PaymentIntent could not be captured",
                    )
                amount = int(p.get("amount_to_capture", intent["amount"]))
                if amount > intent["amount_capturable"]:
                    return self._error(
                        400,
                        "invalid_request_error",
                        "amount_too_large",
                        "Amount to capture is too large",
                    )
                intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
                return 200, intent
            if parts[3] == "cancel":
                if intent["status"] == "succeeded":
                    return self._error(
                        400,
                        "invalid_request_error",
                        "payment_intent_unexpected_state",
                        "Cannot cancel",
                    )
                intent.update(status="canceled", amount_capturable=0)
                return 200, intent
        if parts[:3] == ["v1", "checkout", "sessions"]:
            if len(parts) == 3 and method == "POST":
                return self._create_session(p)
            session = self.sessions.get(parts[3]) if len(parts) > 3 else None
            if session is None:
                return self._error(
                    404, "invalid_request_error", "resource_missing", "No such checkout.session"
                )
            body = dict(session)
            expand = p.get("expand") or {}
            expanded = expand.values() if isinstance(expand, dict) else expand
            if "payment_intent" in expanded and body["payment_intent"]:
                body["payment_intent"] = dict(self.intents[body["payment_intent"]])
            return 200, body
        if parts[:2] == ["v1", "refunds"] and method == "POST":
            intent = self.intents.get(p.get("payment_intent", ""))
            if intent is None or intent["status"] != "succeeded":
                return self._error(
                    400, "invalid_request_error", "charge_not_refundable", "Nothing to refund"
                )
            amount = int(p.get("amount", intent["amount_received"]))
            if amount > intent["amount_received"] - intent["amount_refunded"]:
                return self._error(
                    400,
                    "invalid_request_error",
                    "amount_too_large",
                    "Refund amount is greater than unrefunded amount",
                )
            intent["amount_refunded"] += amount
            refund = {
                "id": f"re_{next(self.ids)}",
                "object": "refund",
                "amount": amount,
                "status": "succeeded",
                "payment_intent": intent["id"],
                "currency": intent["currency"],
            }
            self.refunds[refund["id"]] = refund
            return 200, refund
        return self._error(
            404, "invalid_request_error", "unknown", f"Unrecognized request URL ({method}: {path})"
        )

    def _create_intent(self, p):
        pid = f"pi_{next(self.ids)}"
        manual = p.get("capture_method") == "manual"
        intent = {
            "id": pid,
            "object": "payment_intent",
            "amount": int(p["amount"]),
            "currency": p["currency"],
            "capture_method": p.get("capture_method", "automatic"),
            "status": "requires_payment_method",
            "amount_capturable": 0,
            "amount_received": 0,
            "amount_refunded": 0,
            "client_secret": f"{pid}_secret_fake",
            "customer": p.get("customer"),
            "payment_method": None,
            "metadata": p.get("metadata", {}),
            "setup_future_usage": p.get("setup_future_usage"),
        }
        if p.get("confirm") == "true":
            if p.get("payment_method") == DECLINED:
                return self._error(402, "card_error", "card_declined", "Your card was declined.")
            self._authorise(intent, p.get("payment_method"), manual)
        self.intents[pid] = intent
        return 200, intent

    def _create_session(self, p):
        """Stripe Checkout: the session exists at once; its PaymentIntent only once
        the client pays on Stripe's page (`customer_pays`)."""
        for field in ("success_url", "cancel_url", "line_items", "mode"):
            if not p.get(field):
                return self._error(
                    400, "invalid_request_error", "parameter_missing", f"Missing {field}", field
                )
        sid = f"cs_test_{next(self.ids)}"
        item = p["line_items"]["0"]
        session = {
            "id": sid,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.test/c/pay/{sid}",
            "status": "open",
            "payment_status": "unpaid",
            "payment_intent": None,
            "amount_total": int(item["price_data"]["unit_amount"]),
            "currency": item["price_data"]["currency"],
            "metadata": p.get("metadata", {}),
            "success_url": p["success_url"],
            "cancel_url": p["cancel_url"],
            "locale": p.get("locale"),
            "customer": p.get("customer"),
            "payment_intent_data": p.get("payment_intent_data", {}),
        }
        self.sessions[sid] = session
        return 200, session

    def customer_pays(self, session_id: str, payment_method: str = "pm_card_visa") -> dict:
        """The client pays on Stripe's page (3-D Secure included): the session
        completes with an authorised (or paid) PaymentIntent carrying our metadata."""
        with self.lock:
            session = self.sessions[session_id]
            data = session["payment_intent_data"]
            status, intent = self._create_intent(
                {
                    "amount": session["amount_total"],
                    "currency": session["currency"],
                    "capture_method": data.get("capture_method", "automatic"),
                    "metadata": data.get("metadata", {}),
                    "customer": session["customer"],
                    "setup_future_usage": data.get("setup_future_usage"),
                }
            )
            self._authorise(intent, payment_method, intent["capture_method"] == "manual")
            session.update(status="complete", payment_status="paid", payment_intent=intent["id"])
            return dict(session)

    def _authorise(self, intent, payment_method, manual):
        intent["payment_method"] = payment_method
        if manual:
            intent.update(status="requires_capture", amount_capturable=intent["amount"])
        else:
            intent.update(status="succeeded", amount_received=intent["amount"])

    # --- what the client's browser (Stripe.js) would do -------------------------

    def client_confirms(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict:
        with self.lock:
            intent = self.intents[intent_id]
            self._authorise(intent, payment_method, intent["capture_method"] == "manual")
            return dict(intent)

    # --- webhooks -----------------------------------------------------------------

    def event(
        self, kind: str, obj: dict, *, account: str | None = None, event_id: str | None = None
    ) -> bytes:
        body = {
            "id": event_id or f"evt_{next(self.ids)}",
            "object": "event",
            "type": kind,
            "api_version": "2025-01-27",
            "created": int(time.time()),
            "data": {"object": obj},
            "livemode": False,
        }
        if account:
            body["account"] = account
        return json.dumps(body).encode()


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"
