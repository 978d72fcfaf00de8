"""The rule table of docs/audits.md, written from the registry (each rule's ``@rule`` and docstring).

``python3 -m audits.docs`` rewrites the table between the two markers of docs/audits.md in place;
``python3 -m audits.docs --check`` exits 1 when the committed page differs (a test runs the same
comparison).
"""
from __future__ import annotations

import sys
from pathlib import Path

from audits.registry import all_rules

DOC_FILE = Path(__file__).resolve().parents[1] / "docs" / "audits.md"
BEGIN = "<!-- rules table: written by `python3 -m audits.docs`, do not edit -->"
END = "<!-- end of rules table -->"
HEADER = ("| id | 中文 | 主要问题 | default severity | basis | 要点 tasks | `url` (`field`) | settings read |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- |")


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def table() -> str:
    rows = [HEADER]
    for r in all_rules():
        doc = r.doc
        settings = ", ".join(f"`{k}`" for k in r.config) or "—"
        rows.append("| " + " | ".join(_cell(c) for c in (
            f"`{r.id}`", r.name, r.category or "其他问题", doc.get("severity") or r.severity, doc.get("refs", ""),
            ", ".join(map(str, r.tasks)), doc.get("url", ""), settings)) + " |")
    return "\n".join(rows)


def render(page: str) -> str:
    """``page`` with the text between the markers replaced by the current table."""
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    return page[:start] + "\n" + table() + "\n" + page[end:]


def main(argv: list[str]) -> int:
    current = DOC_FILE.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{DOC_FILE.name} is out of date: run python3 -m audits.docs", file=sys.stderr)
            return 1
        return 0
    DOC_FILE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
