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


# Characters XML 1.0 forbids: openpyxl and python-docx refuse them, so a page carrying one
# would otherwise abort the export.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Strings without XML-illegal characters; anything else unchanged."""
    return _XML_ILLEGAL.sub("", value) if isinstance(value, str) else value
