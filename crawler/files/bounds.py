"""What one attachment file may produce, and the answer every reader gives (``result``): shared
by the format readers (``crawler.files.readers``) and the archive reader (``crawler.files.archives``)."""
from __future__ import annotations

# Bounds on what one file may produce (the rest is cut off and said so in ``detail``).
MAX_TEXT_CHARS = 2_000_000
MAX_CELLS = 300_000
MAX_UNZIPPED = 300 * 1024 * 1024      # declared size of all zip members (zip bombs stop here)
MAX_PAGES = 2000


def result(kind: str, status: str, detail: str = "", **extra) -> dict:
    return {"kind": kind, "status": status, "detail": detail[:300], "pages": extra.get("pages"),
            "parts": extra.get("parts") or [], "cells": extra.get("cells") or []}


class Budget:
    """Cuts text and cells off at the bounds above."""

    def __init__(self):
        self.chars = 0
        self.cells = 0
        self.cut = False

    def text(self, text: str) -> str:
        room = MAX_TEXT_CHARS - self.chars
        if len(text) > room:
            self.cut, text = True, text[:max(room, 0)]
        self.chars += len(text)
        return text

    def cell(self) -> bool:
        self.cells += 1
        if self.cells > MAX_CELLS:
            self.cut = True
        return not self.cut
