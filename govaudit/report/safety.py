"""Hostile page content: only plain http(s) URLs ever become live links in any output."""
from __future__ import annotations

import re

# No whitespace or control characters anywhere: browsers drop tabs/newlines inside URLs, so
# anything but a plain http(s) URL is shown as text and never as a link.
_HTTP_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f\"'<>\\`]+$", re.IGNORECASE)


def http_url(value) -> str | None:
    """The value if it is a plain http:// or https:// URL, else None."""
    if isinstance(value, str) and _HTTP_URL.match(value):
        return value
    return None
