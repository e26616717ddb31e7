"""A partner's webhook receiver on a local port, for tests.

It keeps every request (path, headers, raw body) and answers as told:
`status` (200 by default), `delay` seconds before answering, or a redirect
(`status=302`, `location`). `on_request` runs in the server's thread before
it answers (e.g. to look at the database through its own connection)."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Subscriber:
    port: int = 0
    status: int = 200
    delay: float = 0.0
    location: str = ""
    on_request: object = None
    received: list[Received] = field(default_factory=list)
    seen: list[object] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/solibook"


def start() -> tuple[Subscriber, ThreadingHTTPServer]:
    sub = Subscriber()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            sub.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if sub.on_request is not None:
                sub.seen.append(sub.on_request(body))
            if sub.delay:
                time.sleep(sub.delay)
            try:
                self.send_response(sub.status)
                if sub.location:
                    self.send_header("Location", sub.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting (the slow-subscriber test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sub.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return sub, server
