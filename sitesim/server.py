"""A real threaded HTTP server for the simulated site, on loopback, in a background thread."""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sitesim import external, veto
from sitesim.generate import build_site, parse_size
from sitesim.manifest import build_manifest
from sitesim.pages import Pages
from sitesim.traffic import CHALLENGE_PAGE, BlockRule, Traffic

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, addr, pages: Pages, latency_ms: float = 0, block: BlockRule | None = None):
        self.pages = pages
        # (method, path-with-query, status) of every request, for tests; bounded for long runs
        self.requests: deque = deque(maxlen=2_000_000)
        # in flight (overall, per Host), requests/s; every answer ``latency_ms`` late; blocks
        self.traffic = Traffic(latency_ms / 1000, block)
        super().__init__(addr, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True     # headers and body leave at once: no 40 ms delayed-ACK stalls
    server_version = "JCMS/3.0"
    sys_version = ""
    _in_flight: str | None = None      # the Host of the request being answered, until answered

    def log_message(self, fmt, *args):   # quiet: requests are recorded on the server
        log.debug(fmt, *args)

    def _serve(self, method: str):
        traffic = self.server.traffic
        self._in_flight = urlsplit("//" + (self.headers.get("Host") or "")).hostname or ""
        allowed = traffic.enter(self._in_flight, self.client_address[0])
        try:
            if traffic.latency_s:
                time.sleep(traffic.latency_s)
            if allowed:
                self._answer(method)
            else:
                self._refuse(method, traffic.block.mode)
        finally:
            self._leave()

    def _leave(self):
        if self._in_flight is not None:
            self.server.traffic.leave(self._in_flight)
            self._in_flight = None

    def end_headers(self):
        # The request stops counting as in flight before the answer leaves: once the client has
        # it, it may send the next request before this thread would get to count this one out.
        self._leave()
        super().end_headers()

    def _refuse(self, method: str, mode: str):
        """A WAF's answer to a blocked client: 403, or a tiny 200 page that only runs a script."""
        self.server.requests.append((method, self.path, 403 if mode == "403" else 200))
        body = b"<html><body><h1>403 Forbidden</h1></body></html>" if mode == "403" else CHALLENGE_PAGE
        self.send_response(403 if mode == "403" else 200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _answer(self, method: str):
        parts = urlsplit(self.path)
        body = b""
        if method == "POST":
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            body = self.rfile.read(length)
        resp = self.server.pages.respond(method, parts.path or "/", parts.query, body)
        if isinstance(self.server.pages, Pages):
            resp = veto.for_spider(resp, parts.path or "/", self.headers.get("User-Agent", ""), self.server.pages.site)
        self.server.requests.append((method, self.path, resp.status))
        inm = self.headers.get("If-None-Match")
        if resp.status == 200 and resp.etag and inm == resp.etag:
            self.send_response(304)
            self.send_header("ETag", resp.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(resp.body)))
        if resp.etag:
            self.send_header("ETag", resp.etag)
        if resp.location:
            self.send_header("Location", resp.location)
        self.end_headers()
        if method != "HEAD":
            try:
                self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):   # a client that stops reading (a size cap)
                self.close_connection = True

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        self._serve("POST")


class SimHandle:
    """What ``start_background`` returns: the URL, the manifest, and ``stop()``."""

    def __init__(self, server: SimServer, thread: threading.Thread, site, others=()):
        self._server = server
        self._others = list(others)        # the external sites (sitesim/external.py)
        self._thread = thread
        self.site = site
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}/"
        self.manifest = build_manifest(site, self.url.rstrip("/"))

    @property
    def requests(self) -> deque:
        return self._server.requests

    @property
    def traffic(self) -> Traffic:
        """What the server saw (``snapshot()``, ``reset()``); its ``latency_s``, ``block`` and
        ``lift()`` may be changed while it serves."""
        return self._server.traffic

    def manifest_json(self) -> str:
        return json.dumps(self.manifest, ensure_ascii=False, indent=1)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        external.stop(self._others)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def make_server(seed: int = 2023, size="small", as_of: dt.date | None = None, mutation: int = 0,
                host: str = "127.0.0.1", port: int = 0, latency_ms: float = 0, block: BlockRule | None = None):
    site = build_site(seed, parse_size(size), as_of or dt.date.today(), mutation)
    server = SimServer((host, port), Pages(site), latency_ms, block)
    return server, site


def start_background(seed: int = 2023, size="small", as_of: dt.date | None = None, mutation: int = 0,
                     host: str = "127.0.0.1", port: int = 0, latency_ms: float = 0,
                     block: BlockRule | None = None) -> SimHandle:
    server, site = make_server(seed, size, as_of, mutation, host, port, latency_ms, block)
    others = external.start(site, SimServer, server.server_address[1]) if host == "127.0.0.1" else []
    thread = threading.Thread(target=server.serve_forever, name=f"sitesim:{server.server_address[1]}", daemon=True)
    thread.start()
    return SimHandle(server, thread, site, others)
