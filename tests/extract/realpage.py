"""Pages of tests/realpages/ as the crawler decodes them (bytes kept as saved, GBK included)."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page

REALPAGES = Path(__file__).resolve().parent.parent / "realpages"


def real_page(name: str, url: str | None = None) -> Page:
    text, _ = decode_html((REALPAGES / name).read_bytes())
    return Page(url or "http://" + name.split("/")[0] + "/" + name.split("/")[-1], text)
