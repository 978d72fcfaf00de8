"""URL facts shared by the crawler and the audits."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def same_page_key(url: str) -> str:
    """``url`` with a folder's index page dropped (/xxgk/index.shtml → /xxgk/): what a web server
    answers for the folder, so the two links are one page (a 信息公开 home linked both ways)."""
    parts = urlsplit(url)
    return url if parts.query else urlunsplit(parts._replace(path=_INDEX_PAGE.sub("/", parts.path)))
