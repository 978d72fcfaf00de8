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
    length: int | None = None           # a Content-Length to announce instead of the body's (then close)

    def payload(self, encoding="utf-8") -> bytes:
        return self.body.encode(encoding) if isinstance(self.body, str) else self.body


class FixtureSite:
    def __init__(self, pages: dict, host: str = "127.0.0.1"):
        """``pages``: path -> Answer, or a function of the posted form body (None for GET) -> Answer."""
        self.pages = dict(pages)
        self.requests: list[tuple[str, str, dict]] = []
        self.posted: list[tuple[str, str]] = []         # (path, form body) of every POST
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, head: bool, posted: str | None = None):
                site.requests.append((self.command, self.path, dict(self.headers)))
                answer = site.pages.get(self.path)
                if callable(answer):            # an answer that depends on the form posted
                    answer = answer(posted)
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
                self.send_header("Content-Length", str(answer.length or len(body)))
                if answer.etag:
                    self.send_header("ETag", tag)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                if answer.length:
                    self.close_connection = True

            def do_GET(self):
                self._answer(head=False)

            def do_HEAD(self):
                self._answer(head=True)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                posted = self.rfile.read(length).decode("utf-8", "replace")
                site.posted.append((self.path, posted))
                self._answer(head=False, posted=posted)

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


def one_column_site(column: str, title: str, count: int, extra: str = "", delay: float = 0.0) -> FixtureSite:
    """A homepage, one column listing ``count`` dated documents, and the documents.

    ``title`` is formatted with ``i``; ``extra`` (formatted with ``i`` too) goes into each body.
    """
    page = ("<html><head><title>某区政府</title></head><body><ul class='nav'>"
            f"<li><a href='/col/a/'>{column}</a></li></ul><ul>{{items}}</ul></body></html>")
    items = "".join(f"<li><a href='/col/a/d{i}.html'>{title.format(i=i)}</a><span>2023-11-{i:02d}</span></li>"
                    for i in range(1, count + 1))
    pages = {"/": Answer(page.format(items="")), "/col/a/": Answer(page.format(items=items))}
    for i in range(1, count + 1):
        pages[f"/col/a/d{i}.html"] = Answer(
            f"<html><body><h1>{title.format(i=i)}</h1>{extra.format(i=i, n=i % count + 1)}"
            f"<p>发布日期：2023-11-{i:02d}</p><div id='zoom'><p>{'正文内容。' * 40}</p></div></body></html>",
            delay=delay)
    return FixtureSite(pages)
