"""Decoding response bodies when the HTTP header, the <meta charset> and the bytes disagree.

w3lib (Scrapy's own) resolves BOM → header → <meta> and maps gb2312/gbk to gb18030, which covers
the classic "declared GB2312, contains GBK-only characters" page.  On top of it: a declaration
is only trusted if the bytes decode cleanly with it, valid UTF-8 with non-ASCII bytes is taken as
UTF-8 whatever the labels say (legacy CJK text is practically never valid UTF-8), and a
latin-1 header (a server default) does not override a CJK <meta>.
"""
from __future__ import annotations

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

_WEAK = {"cp1252", "latin_1", "iso8859-1", "ascii"}


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body → (text, encoding used)."""
    if not body:
        return "", "utf-8"
    bom_enc, bom = read_bom(body)
    if bom_enc:
        return body[len(bom):].decode(bom_enc, "replace"), bom_enc
    header = resolve_encoding(http_content_type_encoding(content_type) or "") if content_type else None
    meta = html_body_declared_encoding(body[:4096])
    meta = resolve_encoding(meta) if meta else None
    if not body.isascii():
        text = _strict(body, "utf-8")
        if text is not None:
            return text, "utf-8"
    declared = [e for e in (header, meta) if e]
    if header in _WEAK and meta and meta not in _WEAK:
        declared = [meta, header]
    for enc in declared:
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    text = _strict(body, "gb18030")
    if text is not None:
        return text, "gb18030"
    enc, text = html_to_unicode(content_type, body)
    return text, enc
