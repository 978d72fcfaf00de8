"""检查项说明: what each finding means, its basis, how to check and fix it, how to read the report.

The text is data: each check's 含义/依据/自查方法/整改方法 is in its rule's docstring
(audits/rules/<id>.py), the rest (how to read the report, how to ask for a re-check) in guide.yaml.
It makes the full page docs/检查项说明.md (run this module to
write it: ``python3 -m govaudit.report.guide > docs/检查项说明.md``) and the short appendix of
report.html, which explains the checks that report found.
"""
from __future__ import annotations

import functools
import re
import sys

from audits.registry import GUIDE_SECTIONS, all_rules, get

from govaudit.report.settings import _load, vocabulary

GUIDE_FILE = "docs/检查项说明.md"


# YAML folds a long line into a space: right between two Chinese characters, drop it.
_FOLD = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def _unfold(value):
    if isinstance(value, str):
        return _FOLD.sub("", value)
    if isinstance(value, list):
        return [_unfold(v) for v in value]
    if isinstance(value, dict):
        return {k: _unfold(v) for k, v in value.items()}
    return value


@functools.cache
def guide() -> dict:
    return _unfold(_load("guide.yaml"))


def registered_checks() -> list[tuple[str, str, str]]:
    """(id, name as the report shows it, default severity) of every registered rule, in report order."""
    return [(r.id, r.name, r.severity) for r in all_rules()]


def check_guide(check: str) -> dict:
    """The 含义/依据/自查方法/整改方法 of a registered check (its rule's docstring); {} if unknown."""
    try:
        return get(check).doc["guide"]
    except KeyError:
        return {}


def check_entry(check: str, name: str, severity: str | None = None) -> dict:
    entry = check_guide(check)
    return {"id": check, "name": name, "severity": vocabulary()["severities"].get(severity or "", ""),
            "fields": [(label, entry[key]) for key, label in GUIDE_SECTIONS if entry.get(key)]}


# The office the guide is written for; a report names its own (a 县's: 县政务公开办公室).
GUIDE_INSPECTOR = "区政务公开办公室"


def appendix(checks: list[str], names: dict[str, str], inspector: str | None = None) -> dict:
    """The 附：检查项说明 of a report: how to read it, the checks it found, how to ask for a re-check
    (to ``inspector``, the report's own office)."""
    g = guide()
    recheck = g["recheck"]
    if inspector and inspector != GUIDE_INSPECTOR:
        recheck = {k: v.replace(GUIDE_INSPECTOR, inspector) for k, v in recheck.items()}
    return {"reading": g["reading"], "recheck": recheck, "file": GUIDE_FILE,
            "checks": [check_entry(c, names.get(c, c)) for c in checks if check_guide(c)]}


def markdown() -> str:
    g = guide()
    out = [f"# {g['title']}", "", g["intro"], "",
           "检查报告 report.html 末尾的“附：检查项说明”是本说明的摘要，只列出该次检查发现的问题类型。", "",
           "## 一、怎样阅读检查报告", ""]
    for part in g["reading"]:
        out += [f"### {part['heading']}", "", part["text"], ""]
    out += ["## 二、各检查项说明", "",
            "按报告中问题类型的顺序排列；标题括号内是该检查项在 findings.json 中的代码（check）。", ""]
    for i, (check, name, severity) in enumerate(registered_checks(), start=1):
        entry = check_entry(check, name, severity)
        out += [f"### {i}. {name}（{check}）", ""]
        if entry["severity"]:
            out += [f"- **性质**：一般为{entry['severity']}"]
        out += [f"- **{label}**：{text}" for label, text in entry["fields"]] + [""]
    out += [f"## 三、{g['recheck']['heading']}", "", g["recheck"]["text"], ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown())
