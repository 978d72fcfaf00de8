"""What a link check sees of another site's page: where it redirected and what the page says.

Facts for the audits (``link.signals.external``), which judge a dead or hijacked external site
(NXDOMAIN, a redirect to another registrable domain, a parking or for-sale page).
"""
from __future__ import annotations

from crawler.responses import page_of

MAX_TEXT = 400      # characters of the page's text kept


def external_facts(response) -> dict:
    """{"redirects": [urls before the final one], "final_url", "title", "text"} of an external
    link's answer; title and text only for an HTML answer with a body."""
    out: dict = {}
    chain = list(response.request.meta.get("redirect_urls") or [])
    if chain:
        out["redirects"] = chain[:10]
        out["final_url"] = response.url
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    if response.body and "html" in content_type:
        try:
            page, _, _ = page_of(response)
            out["title"] = (page.title_tag or "")[:200]
            out["text"] = " ".join((page.text or "").split())[:MAX_TEXT]
        except Exception as exc:  # noqa: BLE001 - another site's page must not stop the check
            out["text_error"] = type(exc).__name__
    return out
