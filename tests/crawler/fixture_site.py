"""A tiny loopback HTTP site with exactly the answers a test needs (HEAD refusals, slow pages,
GBK bytes under a wrong header, soft 404s, ETags), recording every request it gets."""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    head_status: int | None = None      # a different status for HEAD (e.g. 405)
    delay: float = 0.0
    headers: dict = field(default_factory=dict)
    etag: bool = True                   # answer conditional requests with 304

    def payload(self, encoding="utf-8") -> bytes:
        return self.body.encode(encoding) if isinstance(self.body, str) else self.body


class FixtureSite:
    def __init__(self, pages: dict[str, Answer], host: str = "127.0.0.1"):
        self.pages = dict(pages)
        self.requests: list[tuple[str, str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, head: bool):
                site.requests.append((self.command, self.path, dict(self.headers)))
                answer = site.pages.get(self.path)
                if answer is None:
                    answer = Answer("<html><body><h1>404 Not Found</h1></body></html>", status=404)
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.payload()
                status = answer.head_status if head and answer.head_status else answer.status
                tag = '"%s"' % hashlib.md5(body).hexdigest()
                if answer.etag and status == 200 and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(body)))
                if answer.etag:
                    self.send_header("ETag", tag)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def do_GET(self):
                self._answer(head=False)

            def do_HEAD(self):
                self._answer(head=True)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._answer(head=False)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass        # a client that gave up on a slow page is expected here

        self.server = Server((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.requests if method is None or m == method]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
