"""Other sites the simulated site links to: served on other loopback addresses at the same port.

127.0.0.2 plays an old 友情链接 domain that lapsed: its home is a parking (域名出售) page and an old
path redirects to another site; 127.0.0.3 plays an ordinary other site (a control: a working
external link, and a redirect within that site).  Hosts under .invalid (RFC 6761) play domains
that no longer resolve.  Linux routes all of 127.0.0.0/8 to loopback; where another address
cannot be bound, the external sites are left out and so are their links and manifest entries.
"""
from __future__ import annotations

import logging
import threading

from sitesim.catalog import EXTERNAL_HOSTS
from sitesim.pages import Response

log = logging.getLogger(__name__)

OLD, OTHER = EXTERNAL_HOSTS
PARKED = ("<html><head><title>该域名正在出售</title></head><body><h1>域名出售 Domain for sale</h1>"
          "<p>This domain may be for sale. 本域名正在转让，有意者请联系。</p></body></html>")
ORDINARY = ("<html><head><title>章丘区旅游服务有限公司</title></head><body><h1>章丘区旅游服务有限公司</h1>"
            "<p>景区介绍、线路推荐、游客服务。</p></body></html>")


class ExternalSite:
    """The responder of one external address (the simulator's Handler calls ``respond``)."""

    def __init__(self, ip: str, port: int):
        self.ip, self.port = ip, port

    def respond(self, method: str, path: str, query: str = "", body: bytes = b"") -> Response:
        html = "text/html; charset=utf-8"
        if self.ip == OLD and path == "/":
            return Response(200, html, PARKED.encode("utf-8"))
        if self.ip == OLD and path == "/zs/":
            return Response(302, html, b"", location=f"http://{OTHER}:{self.port}/")
        if self.ip == OTHER and path == "/a":
            return Response(302, html, b"", location="/b")
        if self.ip == OTHER and path in ("/", "/b"):
            return Response(200, html, ORDINARY.encode("utf-8"))
        return Response(404, html, b"<html><body>404</body></html>")


def start(site, server_class, port: int) -> list:
    """Serve the external sites next to the simulator's ``port``; returns the servers started."""
    servers = []
    for ip in (OLD, OTHER):
        try:
            server = server_class((ip, port), ExternalSite(ip, port))
        except OSError as exc:
            log.warning("sitesim: cannot serve external site on %s:%s (%s); left out", ip, port, exc)
            for s in servers:
                s.server_close()
            return []
        servers.append(server)
    for server in servers:
        threading.Thread(target=server.serve_forever, name=f"sitesim-ext:{server.server_address[0]}", daemon=True).start()
    site.special["external_port"] = port
    return servers


def stop(servers) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()
