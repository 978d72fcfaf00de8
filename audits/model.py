"""The Finding record shared by audits, storage and the report."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field as dc_field

SEVERITIES = ("veto", "deduct", "notice")


@dataclass
class Finding:
    check: str                      # rule id, e.g. "empty_column"
    url: str                        # the page the finding is about (see contracts)
    message: str                    # Chinese, in the wording of real 检查通报
    severity: str = "deduct"        # veto | deduct | notice
    field: str | None = None        # element checks only: 索引号, 发文字号, ...
    unit: str | None = None         # responsible unit (责任单位)
    column: str | None = None       # column name
    column_url: str | None = None
    evidence: dict = dc_field(default_factory=dict)
    tasks: list[int] = dc_field(default_factory=list)   # 要点 task numbers

    @property
    def key(self) -> str:
        """Stable identity across scans: check|url|field."""
        return f"{self.check}|{self.url}|{self.field or ''}"

    def to_json(self) -> dict:
        """The findings.json record: the contract's keys first, compatible extras after.  Its
        evidence is a copy (as ``dataclasses.asdict`` made, without its per-value deepcopy)."""
        return {"check": self.check, "url": self.url, "field": self.field, "unit": self.unit, "column": self.column,
                "severity": self.severity, "message": self.message, "evidence": _copied(self.evidence),
                "column_url": self.column_url, "tasks": list(self.tasks), "key": self.key}


def _copied(value):
    """Containers copied, leaves shared (evidence holds strings, numbers and their lists)."""
    kind = type(value)
    if kind is dict:
        return {k: _copied(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return kind(_copied(v) for v in value)
    if isinstance(value, (dict, list, tuple)):
        return copy.deepcopy(value)        # subclasses (a namedtuple) the slow, general way
    return value
