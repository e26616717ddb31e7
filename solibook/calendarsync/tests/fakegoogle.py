"""A local stand-in for Google's OAuth token endpoint and Calendar API v3:
an `http.server` in a thread that checks each request as Google would (the
path under /calendar/v3/, the bearer token, the JSON body of a write, the
form of a token refresh) and keeps the calendar's events in memory, with
sync tokens (410 for a forgotten one).

`google.script` changes what the next calls answer: "refresh": "refuse"
makes every refresh fail (a revoked grant)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CLIENT_ID = "solibook-test.apps.googleusercontent.com"
CLIENT_SECRET = "test-client-secret"
REFRESH_TOKEN = "1//refresh-token-for-tests"
AUTH_CODE = "4/auth-code-for-tests"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    authorization: str
    body: dict


@dataclass
class FakeGoogle:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    events: dict[str, dict] = field(default_factory=dict)  # id -> event
    valid_tokens: set[str] = field(default_factory=lambda: {"access-1"})
    issued: int = 1
    script: dict[str, str] = field(default_factory=dict)
    version: int = 0
    changed_at: dict[str, int] = field(default_factory=dict)  # id -> version
    forgotten_before: int = 0  # sync tokens older than this get 410
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, method: str, fragment: str = "") -> list[Seen]:
        return [s for s in self.seen if s.method == method and fragment in s.path]

    def put_external(self, event_id: str, **event) -> None:
        """An event the master made on their phone."""
        with self.lock:
            self.version += 1
            self.events[event_id] = {"id": event_id, "status": "confirmed", **event}
            self.changed_at[event_id] = self.version

    def cancel_external(self, event_id: str) -> None:
        with self.lock:
            self.version += 1
            self.events[event_id]["status"] = "cancelled"
            self.changed_at[event_id] = self.version


def _handler(google: FakeGoogle):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, data: dict | None = None):
            raw = json.dumps(data or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _handle(self, method: str):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            if content_type.startswith("application/x-www-form-urlencoded"):
                data = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            else:
                data = json.loads(raw) if raw else {}
            seen = Seen(method, parts.path, query, self.headers.get("Authorization", ""), data)
            with google.lock:
                google.seen.append(seen)
                status, answer = _route(google, seen)
            self._answer(status, answer)

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_PUT(self):
            self._handle("PUT")

        def do_DELETE(self):
            self._handle("DELETE")

    return Handler


def _route(google: FakeGoogle, seen: Seen) -> tuple[int, dict]:
    if seen.path == "/token":
        return _token(google, seen.body)
    prefix = "/calendar/v3/calendars/primary"
    if not seen.path.startswith(prefix):
        return 404, {"error": {"code": 404, "message": "Not Found"}}
    token = seen.authorization.removeprefix("Bearer ")
    if token not in google.valid_tokens:
        return 401, {"error": {"code": 401, "message": "Invalid Credentials"}}
    rest = seen.path.removeprefix(prefix)
    if rest == "" and seen.method == "GET":
        return 200, {"id": "primary", "summary": "anna@example.com"}
    if rest == "/events" and seen.method == "GET":
        return _list(google, seen.query)
    if rest == "/events" and seen.method == "POST":
        body = seen.body
        if not body.get("id") or not body.get("start", {}).get("dateTime"):
            return 400, {"error": {"code": 400, "message": "Invalid"}}
        if body["id"] in google.events:
            return 409, {
                "error": {"code": 409, "message": "The requested identifier already exists."}
            }
        return _store(google, body["id"], body)
    if rest.startswith("/events/"):
        event_id = rest.removeprefix("/events/")
        if seen.method == "PUT":
            if event_id not in google.events:
                return 404, {"error": {"code": 404, "message": "Not Found"}}
            if not seen.body.get("start", {}).get("dateTime"):
                return 400, {"error": {"code": 400, "message": "Invalid"}}
            return _store(google, event_id, {**seen.body, "id": event_id})
        if seen.method == "DELETE":
            event = google.events.get(event_id)
            if event is None or event.get("status") == "cancelled":
                return 410, {"error": {"code": 410, "message": "Resource has been deleted"}}
            google.version += 1
            event["status"] = "cancelled"
            google.changed_at[event_id] = google.version
            return 204, {}
    return 404, {"error": {"code": 404, "message": "Not Found"}}


def _store(google: FakeGoogle, event_id: str, body: dict) -> tuple[int, dict]:
    google.version += 1
    event = {**google.events.get(event_id, {}), **body, "status": body.get("status", "confirmed")}
    google.events[event_id] = event
    google.changed_at[event_id] = google.version
    return 200, event


def _list(google: FakeGoogle, query: dict) -> tuple[int, dict]:
    sync = query.get("syncToken")
    if sync:
        if any(k in query for k in ("timeMin", "timeMax")):
            return 400, {"error": {"code": 400, "message": "syncToken with timeMin"}}
        since = int(sync.removeprefix("sync-"))
        if since < google.forgotten_before:
            return 410, {"error": {"code": 410, "message": "Sync token is no longer valid"}}
        items = [e for i, e in google.events.items() if google.changed_at[i] > since]
    else:
        items = [e for e in google.events.values() if e.get("status") != "cancelled"]
    return 200, {
        "kind": "calendar#events",
        "items": items,
        "nextSyncToken": f"sync-{google.version}",
    }


def _token(google: FakeGoogle, form: dict) -> tuple[int, dict]:
    if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
        return 401, {"error": "invalid_client"}
    grant = form.get("grant_type")
    if grant == "authorization_code" and form.get("code") == AUTH_CODE:
        pass
    elif grant == "refresh_token" and form.get("refresh_token") == REFRESH_TOKEN:
        if google.script.get("refresh") == "refuse":
            return 400, {"error": "invalid_grant", "error_description": "Token has been revoked."}
    else:
        return 400, {"error": "invalid_grant"}
    google.issued += 1
    token = f"access-{google.issued}"
    google.valid_tokens = {token}
    answer = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
    if grant == "authorization_code":
        answer["refresh_token"] = REFRESH_TOKEN
    return 200, answer


def start() -> tuple[FakeGoogle, ThreadingHTTPServer]:
    google = FakeGoogle()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(google))
    google.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return google, server
