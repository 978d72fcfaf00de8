"""The name a downloaded file goes by: the one its answer gives (``Content-Disposition``), else
the last part of its URL, else the link's text when that names a file.

CMS download handlers (``download.jsp?fileId=123``, ``downfile.do?id=…``) carry no file name in
the URL; the server names the file in ``Content-Disposition``, in any of the ways real servers
write it: RFC 6266 ``filename*=UTF-8''%E5%90…``, a percent-encoded ``filename=`` (Java's
``URLEncoder``), or raw UTF-8 / GBK bytes in ``filename="…"`` (what a browser decodes by guessing).
The format readers fall back on the name's extension when the bytes do not say (legacy Office and
WPS files are all OLE2), so the right name is what makes such a file readable.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, unquote_to_bytes

from crawler.extract.urls import ATTACHMENT_EXTENSIONS

_EXT_PARAM = re.compile(r"""filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)""", re.I)
_PLAIN_PARAM = re.compile(r"""filename\s*=\s*(?:"([^"]*)"|([^;]+))""", re.I)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def disposition_name(header: bytes | str | None) -> str:
    """The file name a ``Content-Disposition`` header gives ('' when none)."""
    if not header:
        return ""
    raw = header if isinstance(header, bytes) else header.encode("latin-1", "replace")
    text = raw.decode("latin-1")
    m = _EXT_PARAM.search(text)
    if m:
        charset, value = m.group(1), m.group(2).strip().strip('"')
        try:
            return _clean(unquote(value, encoding=charset, errors="strict"))
        except (LookupError, UnicodeDecodeError):
            return _clean(_decode(unquote_to_bytes(value)))
    m = _PLAIN_PARAM.search(text)
    if not m:
        return ""
    value = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
    data = value.encode("latin-1")
    if _PERCENT.search(value):
        data = unquote_to_bytes(value)
    return _clean(_decode(data))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _clean(name: str) -> str:
    return re.split(r"[\\/]", name.strip())[-1].strip()


def _has_extension(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[-1].lower() in ATTACHMENT_EXTENSIONS


def file_name(url: str, disposition: bytes | str | None = None, anchor: str = "") -> str:
    """The name to read a file by: ``Content-Disposition``'s, else the URL's last part (or the value
    of its last query parameter), else the link text when only that ends in a file extension."""
    named = disposition_name(disposition)
    if named:
        return named
    from_url = url.rsplit("/", 1)[-1].split("=")[-1]
    if _has_extension(from_url) or not _has_extension(anchor or ""):
        return from_url
    return anchor.strip()
