"""The 要点 task table (audits/data/yaodian_2023.yaml): which task demands what, of whom, by when."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TABLE_PATH = Path(__file__).parent / "data" / "yaodian_2023.yaml"


@lru_cache(maxsize=1)
def table() -> dict[int, dict]:
    """Task number -> {no, section, task, requirement, units, units_text, deadline}."""
    with TABLE_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {int(t["no"]): t for t in data["tasks"]}


def describe(numbers) -> dict[str, dict]:
    """The table rows of ``numbers`` keyed by their number as a string (JSON-friendly)."""
    rows = table()
    return {str(n): {k: rows[n][k] for k in ("section", "task", "requirement", "units_text", "deadline")}
            for n in sorted(set(numbers)) if n in rows}
