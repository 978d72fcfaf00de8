"""URL canonicalisation shared by every extractor (the snapshot's URL convention)."""
from __future__ import annotations

import posixpath
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

_NON_LINK_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "vbscript:", "file:")
_CTRL = re.compile(r"[\t\n\r]")
# A servlet container's session id written into links for clients it has not yet given a cookie
# (Tomcat/WebLogic URL rewriting: list.jsp;jsessionid=8F3A…?catid=12): the same page under a new
# name on every visit.
_SESSION_ID = re.compile(r";jsessionid=[^/?#;]*", re.I)

ATTACHMENT_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "et", "ppt", "pptx", "dps", "wps", "ofd", "zip", "rar",
    "7z", "txt", "csv", "ceb", "tif", "tiff",
})
_DOWNLOAD_PATH = re.compile(r"/(?:module/download/downfile\.jsp|download(?:file)?(?:\.\w+)?|downfile)\b", re.I)


def canonical_url(url: str) -> str:
    """Fragment and a ``;jsessionid=`` removed, scheme and host lower-cased; otherwise as linked."""
    parts = urlsplit(_SESSION_ID.sub("", url) if ";" in url else url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = userinfo + "@" + host.lower()
    else:
        netloc = netloc.lower()
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def absolute_url(base: str, href: str | None) -> str | None:
    """Resolve ``href`` against ``base``; None for empty, fragment-only and non-HTTP links."""
    if href is None:
        return None
    href = _CTRL.sub("", href).strip()
    if not href or href.startswith("#"):
        return None
    if href.lower().startswith(_NON_LINK_SCHEMES):
        return None
    try:
        url = urljoin(base or "", href)
        parts = urlsplit(url)
    except ValueError:                       # e.g. an invalid IPv6 literal in hostile markup
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return canonical_url(url)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def same_host(a: str, b: str) -> bool:
    return host_of(a) == host_of(b) != ""


def extension(url: str) -> str:
    path = urlsplit(url).path
    ext = posixpath.splitext(path)[1]
    return ext[1:].lower() if ext else ""


def is_attachment_url(url: str) -> bool:
    """Downloadable files (pdf/doc/xls/zip/wps/ofd …) and CMS download handlers."""
    if extension(url) in ATTACHMENT_EXTENSIONS:
        return True
    parts = urlsplit(url)
    if _DOWNLOAD_PATH.search(parts.path):
        return True
    # downfile.jsp?filename=<hex>.pdf and similar: the file name sits in the query.
    return bool(parts.query) and bool(re.search(
        r"(?:^|[&=./])[^&=]*\.(?:%s)(?:&|$)" % "|".join(sorted(ATTACHMENT_EXTENSIONS)), parts.query, re.I)
    ) and "download" in url.lower()
