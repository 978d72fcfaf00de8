"""URL facts shared by the crawler and the audits."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from govaudit.core.errors import EXIT_USAGE, GovauditError

_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def same_page_key(url: str) -> str:
    """``url`` with a folder's index page dropped (/xxgk/index.shtml → /xxgk/): what a web server
    answers for the folder, so the two links are one page (a 信息公开 home linked both ways)."""
    parts = urlsplit(url)
    return url if parts.query else urlunsplit(parts._replace(path=_INDEX_PAGE.sub("/", parts.path)))


def site_slug(start_url: str) -> str:
    """A file-system friendly name for a site: its host (and port)."""
    host = re.sub(r"^[a-z]+://", "", start_url or "").split("/")[0]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", host) or "site"


def check_http_url(url: str, what: str = "起始网址无效 / not an http(s) URL") -> str:
    """A well-formed absolute http(s) URL (port in range, no spaces), or a one-line usage error."""
    try:
        parts = urlsplit(url)
        parts.port      # raises ValueError for a port out of range or not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        guess = _with_scheme(url)
        hint = f"（缺少 http:// / missing the scheme: did you mean {guess} ?）" if guess else ""
        raise GovauditError(f"{what}: {url}{hint}", EXIT_USAGE)
    return url


def _with_scheme(url: str) -> str | None:
    """``http://`` + a bare host (``www.jnzq.gov.cn``, ``127.0.0.1:8080/col/``), if that makes a URL."""
    text = (url or "").strip()
    if "://" in text or not text or any(c.isspace() for c in text):
        return None
    candidate = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(candidate)
        parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if not (host == "localhost" or re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host)):
        return None
    return candidate if parts.path else candidate + "/"
