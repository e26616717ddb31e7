"""Local stand-ins for the APIs the assistant calls, checking each request as
the real one would: Telegram Bot API's sendMessage (token in the path, a
chat id and a text), WhatsApp Cloud API's messages endpoint (Bearer token,
`messaging_product`, `to`, a text body) and an OpenAI-compatible
chat-completions server (Bearer key, the model, a system and a user message),
which answers `net.completion` as the model's content."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TELEGRAM_TOKEN = "777:AAFakeAssistantBotToken"
WHATSAPP_TOKEN = "EAAFakeWhatsAppAccessToken"
WHATSAPP_PHONE_ID = "106540352242922"
LLM_KEY = "sk-local-test-key"
LLM_MODEL = "local-model"


@dataclass
class Seen:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeNet:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    completion: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, fragment: str) -> list[Seen]:
        return [s for s in self.seen if fragment in s.path]


def _answer(net: FakeNet, path: str, headers, body) -> tuple[int, dict]:
    if path.startswith("/telegram/"):
        if path != f"/telegram/bot{TELEGRAM_TOKEN}/sendMessage":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if not body.get("chat_id") or not body.get("text"):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request"}
        return 200, {"ok": True, "result": {"message_id": 5}}
    if path.startswith("/whatsapp/"):
        if headers.get("authorization") != f"Bearer {WHATSAPP_TOKEN}":
            return 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        if path != f"/whatsapp/{WHATSAPP_PHONE_ID}/messages":
            return 400, {"error": {"message": "Unsupported post request", "code": 100}}
        if (
            body.get("messaging_product") != "whatsapp"
            or not body.get("to")
            or body.get("type") != "text"
            or not (body.get("text") or {}).get("body")
        ):
            return 400, {"error": {"message": "(#100) Invalid parameter", "code": 100}}
        return 200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT1"}]}
    if path == "/llm/v1/chat/completions":
        roles = [m.get("role") for m in body.get("messages") or []]
        if headers.get("authorization") != f"Bearer {LLM_KEY}":
            return 401, {"error": {"message": "bad key", "type": "invalid_request_error"}}
        if body.get("model") != LLM_MODEL or roles != ["system", "user"]:
            return 400, {"error": {"message": "bad request", "type": "invalid_request_error"}}
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": LLM_MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": net.completion},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    return 404, {}


def start() -> tuple[FakeNet, ThreadingHTTPServer]:
    net = FakeNet()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            headers = {k.lower(): v for k, v in self.headers.items()}
            with net.lock:
                net.seen.append(Seen(self.path, headers, body))
            status, answer = _answer(net, self.path, headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    net.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return net, server
