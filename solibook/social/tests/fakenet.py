"""A local stand-in for the networks' APIs (Telegram Bot API, Facebook and
Instagram Graph API, VK API): an `http.server` in a thread that records
every request, checks it as the real API would (path, method, token,
parameters, an uploaded photo) and answers in the real API's shapes.

`net.script[...]` sets what the next calls answer: "ok", "expired", "rate".
"""

import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TELEGRAM_TOKEN = "123456:AAFakeTelegramBotTokenForTests"
GRAPH_TOKEN = "EAAGfakePageAccessTokenForTests1234"
VK_TOKEN = "vk1.a.fakeCommunityTokenForTests5678"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass
class Seen:
    method: str
    path: str
    fields: dict[str, str]
    files: dict[str, bytes]


@dataclass
class FakeNet:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    script: dict[str, str] = field(default_factory=dict)  # network -> ok | expired | rate
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, fragment: str) -> list[Seen]:
        return [s for s in self.seen if fragment in s.path]


def _parse(handler) -> tuple[dict[str, str], dict[str, bytes]]:
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length)
    content_type = handler.headers.get("Content-Type", "")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = payload
            else:
                fields[name] = payload.decode()
        return fields, files
    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}, {}


def _telegram(net: FakeNet, path: str, fields, files):
    prefix = f"/telegram/bot{TELEGRAM_TOKEN}/"
    mode = net.script.get("telegram", "ok")
    if not path.startswith(prefix) or mode == "expired":
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
    if mode == "rate":
        return 429, {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        }
    method = path.removeprefix(prefix)
    if not fields.get("chat_id"):
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    if method == "sendMessage" and fields.get("text"):
        return 200, {"ok": True, "result": {"message_id": 101, "chat": {"id": -1001}}}
    if method == "sendPhoto" and files.get("photo", b"").startswith(JPEG_MAGIC):
        return 200, {"ok": True, "result": {"message_id": 102, "caption": fields.get("caption")}}
    return 400, {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }


def _graph(net: FakeNet, network: str, path: str, fields, files):
    mode = net.script.get(network, "ok")
    if fields.get("access_token") != GRAPH_TOKEN or mode == "expired":
        return 400, {
            "error": {
                "message": "Error validating access token: Session has expired.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        }
    if mode == "rate":
        return 400, {
            "error": {
                "message": "(#4) Application request limit reached",
                "type": "OAuthException",
                "code": 4,
            }
        }
    if (
        path.endswith("/feed")
        and fields.get("message")
        and fields.get("link", "").startswith("http")
    ):
        return 200, {"id": "111_222"}
    if path.endswith("/photos") and files.get("source", b"").startswith(JPEG_MAGIC):
        return 200, {"id": "333", "post_id": "111_333"}
    if path.endswith("/media") and fields.get("image_url", "").startswith("http"):
        return 200, {"id": "creation-9"}
    if path.endswith("/media_publish") and fields.get("creation_id") == "creation-9":
        return 200, {"id": "ig-media-1"}
    return 400, {
        "error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100}
    }


def _vk(net: FakeNet, path: str, fields, files):
    if path == "/vk/upload":
        if files.get("photo", b"").startswith(JPEG_MAGIC):
            return 200, {"server": 42, "photo": '[{"photo":"abc"}]', "hash": "h4sh"}
        return 200, {"server": 42, "photo": "", "hash": ""}
    mode = net.script.get("vk", "ok")
    if fields.get("access_token") != VK_TOKEN or mode == "expired":
        return 200, {
            "error": {
                "error_code": 5,
                "error_msg": "User authorization failed: invalid access_token (4).",
            }
        }
    if mode == "rate":
        return 200, {"error": {"error_code": 6, "error_msg": "Too many requests per second"}}
    if not fields.get("v"):
        return 200, {"error": {"error_code": 8, "error_msg": "Invalid request: v is required"}}
    method = path.removeprefix("/vk/method/")
    if method == "photos.getWallUploadServer" and fields.get("group_id"):
        return 200, {"response": {"upload_url": f"{net.url}/vk/upload"}}
    if method == "photos.saveWallPhoto" and fields.get("hash") == "h4sh":
        return 200, {"response": [{"id": 77, "owner_id": -int(fields["group_id"])}]}
    if (
        method == "wall.post"
        and fields.get("owner_id", "").startswith("-")
        and fields.get("from_group") == "1"
    ):
        return 200, {"response": {"post_id": 555}}
    return 200, {
        "error": {
            "error_code": 100,
            "error_msg": "One of the parameters specified was missing or invalid",
        }
    }


def start() -> tuple[FakeNet, ThreadingHTTPServer]:
    net = FakeNet()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):  # noqa: N802 - http.server's name
            fields, files = _parse(self)
            with net.lock:
                net.seen.append(Seen("POST", self.path, fields, files))
            if net.delay:
                time.sleep(net.delay)
            if self.path.startswith("/telegram/"):
                status, answer = _telegram(net, self.path, fields, files)
            elif self.path.startswith("/facebook/"):
                status, answer = _graph(net, "facebook", self.path, fields, files)
            elif self.path.startswith("/instagram/"):
                status, answer = _graph(net, "instagram", self.path, fields, files)
            else:
                status, answer = _vk(net, self.path, fields, files)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the networks' write methods are POSTs
            with net.lock:
                net.seen.append(Seen("GET", self.path, {}, {}))
            self.send_response(405)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    net.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return net, server
