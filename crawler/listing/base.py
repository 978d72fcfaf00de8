"""What every list reader shares: the follow-up request format and the paging limits."""
from __future__ import annotations

import hashlib

# Never plan more pages than this for one list, whatever the page claims (endless-pagination
# guard).  The spider may pass its own limit (settings: GOVAUDIT_MAX_LIST_PAGES).
DEFAULT_MAX_PAGES = 2000


def request(url: str, reader: str, page_url: str, method: str = "GET", body: str | None = None,
            headers: dict | None = None, **meta) -> dict:
    """A follow-up request for ListPage.next_pages.

    ``reader`` names the reader whose ``read_response`` understands the answer; ``page_url`` is
    the list page the request belongs to (relative links in the answer resolve against it).
    Every other key is reader state handed back to ``read_response`` untouched.
    """
    req = {"url": url, "method": method, "body": body, "headers": dict(headers or {}),
           "reader": reader, "page_url": page_url}
    req.update(meta)
    return req


def fingerprint(entries) -> str:
    """Short identity of a page's entries, to notice a page that only repeats an earlier one."""
    return hashlib.sha1("\n".join(sorted(e.url for e in entries)).encode("utf-8")).hexdigest()[:16]
