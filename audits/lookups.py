"""Whether a failed name lookup says anything: it proves a dead domain only when lookups worked
in the scan (some host name answered) or the name is reserved never to resolve."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import pandas as pd


# Names reserved never to resolve (RFC 6761, RFC 2606): their failed lookup needs no proof.
_NEVER_RESOLVE = (".invalid", ".test", ".example", ".localhost")


def _host_name(url) -> str:
    try:
        return (urlsplit(str(url)).hostname or "").lower()
    except ValueError:
        return ""


def never_resolves(url) -> bool:
    name = _host_name(url)
    return name.endswith(_NEVER_RESOLVE) or name in ("invalid", "test", "example", "localhost")


def lookups_worked(links: pd.DataFrame) -> bool:
    """Did a link to a host *name* (not an address, not a reserved name) get any answer?"""
    for url, outcome in zip(links["url"], links["outcome"]):
        if outcome in (None, "", "dns", "unchecked") or (isinstance(outcome, float) and pd.isna(outcome)):
            continue
        name = _host_name(url)
        if not name or never_resolves(url):
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return True
    return False
