"""A local HTTP server that answers like ATOL Online's API v4 and checks the requests.

It refuses what the real service refuses (a wrong login, a missing or stale
token, a second document with the same external_id — answered with error 33
and the first one's uuid), checks the receipt's shape (company INN and sno,
items with VAT codes, payments adding up to the total, the client's e-mail or
phone), keeps every request, and can be told to fail: `down` answers 503,
`drop_after_accept` registers the receipt and then answers 500 (the answer
lost on the way), `wait_reports` answers `wait` that many times first.
"""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGIN, PASSWORD, GROUP = "salon-login", "s3cret-pass", "group_code_1"


class FakeAtol:
    def __init__(self):
        self.requests: list[dict] = []
        self.documents: dict[str, dict] = {}  # uuid → {operation, body}
        self.by_external: dict[str, str] = {}
        self.problems: list[str] = []
        self.tokens: set[str] = set()
        self.down = 0  # answer 503 to this many requests
        self.drop_after_accept = 0
        self.wait_reports = 0
        self.fail_report = ""
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                payload = json.loads(raw) if raw else None
                with fake.lock:
                    fake.requests.append(
                        {
                            "method": method,
                            "path": self.path,
                            "body": payload,
                            "token": self.headers.get("Token", ""),
                        }
                    )
                    status, answer = fake.route(method, self.path, payload, self.headers)
                self._reply(status, answer)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/possystem/v4"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- routes ---------------------------------------------------------------------------

    def route(self, method, path, body, headers):
        if self.down:
            self.down -= 1
            return 503, {"error": "service unavailable"}
        prefix = "/possystem/v4/"
        if not path.startswith(prefix):
            return 404, {}
        rest = path[len(prefix) :]
        if rest == "getToken" and method == "POST":
            if body != {"login": LOGIN, "pass": PASSWORD}:
                return 200, {
                    "error": {"code": 12, "text": "Неверный логин или пароль", "type": "system"},
                    "token": "",
                }
            token = f"tok{next(self.ids)}"
            self.tokens.add(token)
            return 200, {"error": None, "token": token, "timestamp": "07.12.2026 12:00:00"}
        if headers.get("Token") not in self.tokens:
            return 401, {"error": {"code": 11, "text": "Токен не действителен", "type": "system"}}
        group, _, action = rest.partition("/")
        if group != GROUP:
            return 400, {"error": {"code": 20, "text": "unknown group_code", "type": "system"}}
        if method == "POST" and action in ("sell", "sell_refund"):
            return self.register(action, body)
        if method == "GET" and action.startswith("report/"):
            return self.report(action[len("report/") :])
        return 404, {}

    def check(self, body) -> list[str]:
        problems = []
        receipt = body.get("receipt") or {}
        company = receipt.get("company") or {}
        if not (str(company.get("inn", "")).isdigit() and len(company["inn"]) in (10, 12)):
            problems.append("company.inn")
        if company.get("sno") not in ("osn", "usn_income", "usn_income_outcome", "esn", "patent"):
            problems.append("company.sno")
        if not company.get("email") or not company.get("payment_address"):
            problems.append("company.email/payment_address")
        client = receipt.get("client") or {}
        if not (client.get("email") or client.get("phone")):
            problems.append("client")
        items = receipt.get("items") or []
        if not items:
            problems.append("items")
        for item in items:
            vat = (item.get("vat") or {}).get("type")
            if vat not in ("none", "vat0", "vat5", "vat7", "vat10", "vat20", "vat22"):
                problems.append(f"items.vat {vat}")
            if round(item["price"] * item["quantity"], 2) != item["sum"]:
                problems.append("items.sum")
        total = receipt.get("total")
        if round(sum(i["sum"] for i in items), 2) != total:
            problems.append("items != total")
        if round(sum(p["sum"] for p in receipt.get("payments") or []), 2) != total:
            problems.append("payments != total")
        if not body.get("external_id") or not body.get("timestamp"):
            problems.append("external_id/timestamp")
        return problems

    def register(self, operation, body):
        problems = self.check(body or {})
        if problems:
            self.problems.extend(problems)
            return 400, {"error": {"code": 32, "text": "; ".join(problems), "type": "system"}}
        external = body["external_id"]
        if external in self.by_external:
            return 200, {
                "uuid": self.by_external[external],
                "status": "fail",
                "error": {
                    "code": 33,
                    "type": "system",
                    "text": f"В системе существует чек с external_id : {external}",
                },
            }
        uuid = f"uuid-{next(self.ids)}"
        self.by_external[external] = uuid
        self.documents[uuid] = {"operation": operation, "body": body}
        if self.drop_after_accept:
            self.drop_after_accept -= 1
            return 500, {"error": "lost"}
        return 200, {
            "uuid": uuid,
            "status": "wait",
            "error": None,
            "timestamp": "07.12.2026 12:00:00",
        }

    def report(self, uuid):
        if uuid not in self.documents:
            return 400, {"error": {"code": 34, "text": "not found", "type": "system"}}
        if self.wait_reports:
            self.wait_reports -= 1
            return 200, {"uuid": uuid, "status": "wait", "error": None, "payload": None}
        if self.fail_report:
            return 200, {
                "uuid": uuid,
                "status": "fail",
                "payload": None,
                "error": {"code": 10, "text": self.fail_report, "type": "driver"},
            }
        n = list(self.documents).index(uuid) + 1
        return 200, {
            "uuid": uuid,
            "status": "done",
            "error": None,
            "payload": {
                "total": self.documents[uuid]["body"]["receipt"]["total"],
                "fns_site": "www.nalog.gov.ru",
                "fn_number": "9999078900004792",
                "shift_number": 1,
                "receipt_datetime": "07.12.2026 15:04:00",
                "fiscal_receipt_number": n,
                "fiscal_document_number": 100 + n,
                "ecr_registration_number": "0000000001002292",
                "fiscal_document_attribute": 3000000000 + n,
            },
        }

    def sells(self, operation="sell"):
        return [
            r
            for r in self.requests
            if r["method"] == "POST" and r["path"].endswith(f"/{operation}")
        ]
