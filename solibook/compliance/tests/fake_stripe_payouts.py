"""A local HTTP server answering like Stripe's payouts and balance transactions
lists, for the real `stripe` library. It checks the secret key and the
connected account (`Stripe-Account`), honours `arrival_date[gte|lt]`,
`payout=`, `expand[]=data.source`, `limit` and `starting_after`, and keeps every
request."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

KEY = "sk_test_reconcile"
ACCOUNT = "acct_riyadh1"


class FakePayouts:
    def __init__(self):
        self.payouts: list[dict] = []
        self.transactions: list[dict] = []  # each with "payout" and a full "source"
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path, _, query = self.path.partition("?")
                params = parse_qsl(query, keep_blank_values=True)
                fake.requests.append(
                    {
                        "path": path,
                        "params": params,
                        "auth": self.headers.get("Authorization"),
                        "account": self.headers.get("Stripe-Account"),
                    }
                )
                status, body = fake.route(path, params, self.headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _page(self, items, params):
        limit = int(params.get("limit", 10))
        after = params.get("starting_after")
        if after:
            ids = [i["id"] for i in items]
            items = items[ids.index(after) + 1 :]
        return {"object": "list", "data": items[:limit], "has_more": len(items) > limit}

    def route(self, path, pairs, headers):
        if headers.get("Authorization") != f"Bearer {KEY}":
            return 401, {"error": {"type": "invalid_request_error", "message": "bad key"}}
        if headers.get("Stripe-Account") != ACCOUNT:
            return 403, {"error": {"type": "invalid_request_error", "message": "no account"}}
        params = dict(pairs)
        if path == "/v1/payouts":
            gte = int(params.get("arrival_date[gte]", 0))
            lt = int(params.get("arrival_date[lt]", 1 << 40))
            items = [p for p in self.payouts if gte <= p["arrival_date"] < lt]
            return 200, self._page(items, params)
        if path == "/v1/balance_transactions":
            expand = [v for k, v in pairs if k.startswith("expand")]
            items = []
            for t in self.transactions:
                if t["payout"] != params.get("payout"):
                    continue
                item = {k: v for k, v in t.items() if k != "payout"}
                if "data.source" not in expand:
                    item["source"] = t["source"]["id"]
                items.append(item)
            return 200, self._page(items, params)
        return 404, {"error": {"type": "invalid_request_error", "message": "no route"}}
