"""A finding's evidence as a reader wants it: (label, value) pairs in Chinese, values written the
way a person writes them, nothing internal shown raw.

The one formatter behind 问题清单 (report.html), the 证据 column of findings.xlsx and the
sentences of 主要问题 / 通报.docx.  Labels and value formats are data: the ``evidence`` section of
vocabulary.yaml, and the ``labels`` of a rule for the keys only it writes.  A key with no entry
there is not shown (a test checks every key the rules emit has one); findings.json keeps the raw
evidence.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from audits.registry import get
from audits.views import window_phrase

from govaudit.report.safety import http_url
from govaudit.report.settings import vocabulary

ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
WINDOW = re.compile(r"^\d+[dm]$")


@dataclass
class Part:
    text: str
    href: str | None = None


@dataclass
class Item:
    label: str
    parts: list[Part] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "、".join(p.text for p in self.parts)


def _own_labels(check: str) -> dict:
    try:
        return get(check).labels
    except KeyError:
        return {}


def spec(check: str, key: str) -> dict | None:
    """The entry of an evidence key: the rule's own ``labels`` first, then vocabulary.yaml's
    ``check.key``, then its plain ``key``; as a dict; None if unknown."""
    table = vocabulary()["evidence"]
    entry = _own_labels(check).get(key, table.get(f"{check}.{key}", table.get(key)))
    if entry is None:
        return None
    return {"label": entry} if isinstance(entry, str) else dict(entry)


def _blank(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    if isinstance(value, str):
        # Lower-cased only when short enough to be one of the words: a quoted sentence copied
        # twice per finding was a fifth of the evidence's time, and the report reads it twice.
        text = value.strip()
        return not text or (len(text) <= 4 and text.lower() in ("nan", "none", "null"))
    return isinstance(value, (list, tuple, dict)) and not value


def _number(value, unit: str = "") -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


def _date(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    m = ISO_DATE.match(str(value).strip())
    return m.group(1) if m else str(value)


def _index_style(value: str) -> str:
    """A named 索引号 structure in words; an unnamed shape (9-A-9-9) spelled out."""
    named = vocabulary()["index_styles"].get(value)
    if named:
        return named
    letters = vocabulary()["index_shape"]
    return re.sub(r"[9A]", lambda m: letters[m.group(0)], str(value))


def _scalar(value, how: str | None, unit: str) -> Part | None:
    """One value as text (and a link when it is a plain http(s) URL)."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return Part("是" if value else "否")
    if how == "window" and isinstance(value, str) and WINDOW.match(value):
        return Part(window_phrase(value))
    if how == "http_status" and isinstance(value, (int, float)):
        return Part(f"HTTP {int(value)}")
    if how == "link_outcome":
        return Part(vocabulary()["link_outcomes"].get(value, "无法访问"))
    if how == "index_style":
        return Part(_index_style(value))
    if how == "percent" and isinstance(value, (int, float)):
        return Part(f"{value * 100:.0f}%")
    if how == "year" and str(value).strip().isdigit():
        return Part(f"{int(value)}年")
    if how == "date" or (how != "text" and isinstance(value, str) and ISO_DATE.match(value.strip())):
        return Part(_date(value))
    if isinstance(value, (int, float)):
        return Part(_number(value, unit))
    if isinstance(value, (dict, list, tuple)):
        return None  # nested structures are handled by the caller or not shown
    text = str(value).strip()
    return Part(text, http_url(text))


def _parts(check: str, key: str, value, entry: dict) -> list[Part]:
    how, unit = entry.get("as"), entry.get("unit", "")
    if how == "counts" and isinstance(value, dict):
        return [Part(f"{name}（{_number(n, unit)}）") for name, n in value.items() if not _blank(n)]
    if how == "entries" and isinstance(value, dict):
        parts = []
        for sub, v in value.items():
            sub_entry = spec(check, sub)
            shown = [p.text for p in _parts(check, sub, v, sub_entry)] if sub_entry else []
            if shown:
                parts.append(Part(f"{sub_entry['label']}：{'、'.join(shown)}"))
        return parts
    if isinstance(value, (list, tuple)):
        return [p for p in (_scalar(v, how, unit) for v in value) if p is not None]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0 and entry.get("zero") is False:
        return []
    part = _scalar(value, how, unit)
    return [part] if part is not None else []


def evidence_items(check: str, evidence: dict) -> list[Item]:
    """The evidence of one finding as labelled items, in the audits' order; items sharing a label
    (``source`` and ``sources``, say) are one item with each value once."""
    items: dict[str, Item] = {}
    for key, value in (evidence or {}).items():
        entry = spec(check, key)
        if entry is None or entry.get("hidden"):
            continue
        parts = _parts(check, key, value, entry)
        if not parts and isinstance(value, (list, tuple)) and entry.get("empty"):
            parts = [Part(entry["empty"])]
        if not parts:
            continue
        item = items.setdefault(entry["label"], Item(entry["label"]))
        seen = {p.text for p in item.parts}
        item.parts += [p for p in parts if p.text not in seen and not seen.add(p.text)]
    return list(items.values())


def evidence_value(check: str, key: str, evidence: dict) -> str:
    """One evidence value as text (for sentences), "" when absent."""
    entry = spec(check, key) or {"label": key}
    return "、".join(p.text for p in _parts(check, key, (evidence or {}).get(key), entry))


def evidence_line(items: list[Item]) -> str:
    """Items as one line of a cell: “标签：值；标签：值”."""
    return "；".join(f"{i.label}：{i.text}" for i in items)


def evidence_keys(check: str, evidence: dict) -> set[str]:
    """Every key of a finding's evidence that needs a vocabulary entry: the top-level keys and
    the keys of the mappings shown entry by entry (``as: entries``)."""
    keys = set()
    for key, value in (evidence or {}).items():
        keys.add(key)
        if isinstance(value, dict) and (spec(check, key) or {}).get("as") == "entries":
            keys |= set(value)
    return keys
