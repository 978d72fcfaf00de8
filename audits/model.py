"""The Finding record shared by audits, storage and the report."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field as dc_field

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
        """The findings.json record: the contract's keys first, compatible extras after."""
        d = asdict(self)
        out = {k: d[k] for k in ("check", "url", "field", "unit", "column", "severity", "message", "evidence")}
        out["column_url"] = d["column_url"]
        out["tasks"] = d["tasks"]
        out["key"] = self.key
        return out
