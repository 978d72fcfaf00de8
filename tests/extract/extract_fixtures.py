"""Hand-written pages under fixtures/ (layouts of real-sites.md), for the extraction tests."""
from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://www.example.gov.cn"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def wrap(body: str, head: str = "<title>t</title>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"
