"""主要问题: one paragraph per problem category, phrased like a real 检查情况通报.

Each rule says how its findings are counted (``sentence`` of its ``@rule``, in
audits/rules/<id>.py): a template, or a function given the rule's findings and ``Say``, the
phrasing helpers below (where, title, examples from as many units as possible …); a rule with
neither gets a plain "名称N处" sentence.  The categories and their order come from
vocabulary.yaml, each rule names its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from audits.registry import get
from audits.textfacts import quoted_title

from govaudit.report.evidence import evidence_value
from govaudit.report.frame import OTHER_CATEGORY, category_checks
from govaudit.report.settings import vocabulary


@dataclass
class Example:
    text: str
    url: str = ""


@dataclass
class Paragraph:
    title: str
    count: int
    sentences: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "；".join(self.sentences) + "。"

    def text_with_examples(self, limit: int | None = None) -> str:
        """The paragraph as one line of a 通报: counts, then “如：…等。” with at most ``limit`` examples."""
        examples = self.examples[:limit] if limit is not None else self.examples
        if not examples:
            return self.text
        return self.text[:-1] + "。如：" + "；".join(e.text for e in examples) + "等。"


# ---- the phrasing helpers a rule's sentence is given -------------------------------------------

DATE_KEYS = ("latest_date", "newest_date", "last_update", "latest")


class Say:
    """What a rule's sentence function may use to phrase its findings (``part``: its rows of the
    findings frame, with ``unit``, ``column``, ``url``, ``field``, ``message``, ``evidence`` …)."""

    Example = Example

    def __init__(self, limit: int):
        self.limit = limit      # examples per check

    @staticmethod
    def evidence(check: str, key: str, ev: dict) -> str:
        """An evidence value as the reader sees it (vocabulary.yaml ``evidence``)."""
        return evidence_value(check, key, ev)

    @staticmethod
    def evidence_date(ev: dict) -> str:
        return next((evidence_value("", k, ev) for k in DATE_KEYS if ev.get(k)), "")

    @staticmethod
    def window(ev: dict) -> str:
        """The update window in the notices' words: 两周 / 半年 / 一年."""
        named = evidence_value("stale_column", "window", ev)
        return named or vocabulary()["windows"].get(ev.get("class"), "规定时限")

    @staticmethod
    def column_class(ev: dict) -> str:
        return ev.get("class_label") or vocabulary()["column_classes"].get(ev.get("class"), "")

    @staticmethod
    def where(row) -> str:
        return f"{row.unit}“{row.column}”栏目" if row.column else row.unit

    @staticmethod
    def title(row) -> str:
        ev = row.evidence
        if ev.get("title"):
            return f"《{ev['title']}》"
        return quoted_title(row.message) or row.url

    @staticmethod
    def with_unit(row) -> str:
        """The finding's message, led by its unit unless it already names it."""
        if not row.message or row.message.startswith(row.unit):
            return row.message or row.url
        return f"{row.unit}{row.message}" if row.message[0] in "《「“" else f"{row.unit}：{row.message}"

    @staticmethod
    def units(part: pd.DataFrame) -> int:
        return part["unit"].nunique()

    @staticmethod
    def field_breakdown(part: pd.DataFrame, unit_word: str) -> str:
        counts = part.groupby("field")["url"].nunique().sort_values(ascending=False, kind="stable")
        return "、".join(f"{f or '其他'}{n}{unit_word}" for f, n in counts.items())

    def examples(self, part: pd.DataFrame, text: Callable) -> list[Example]:
        """Examples from as many different units as possible, most affected units first."""
        limit = self.limit
        order = part["unit"].value_counts().index
        picked = []
        for unit in order:
            rows = part[part["unit"] == unit]
            picked.append(rows.iloc[0])
            if len(picked) >= limit:
                break
        if len(picked) < limit:
            taken = {r.name for r in picked}
            picked += [r for _, r in part.iterrows() if r.name not in taken][: limit - len(picked)]
        return [Example(text(r), r.url) for r in picked]


def _sentence(check: str, name: str, part: pd.DataFrame, say: Say) -> tuple[str, list[Example]]:
    """The rule's own sentence: its function, its template, or “名称N处”."""
    try:
        own = get(check).sentence
    except KeyError:
        own = None
    if callable(own):
        return own(part, say)
    template = own or "{name}{count}处"
    said = template.format(name=name, count=len(part), documents=part["url"].nunique(), units=say.units(part))
    return said, say.examples(part, say.with_unit)


# ---- paragraphs ---------------------------------------------------------------------------

def paragraphs(frame: pd.DataFrame, names: dict[str, str], examples_per_check: int,
               part_of: Callable[[str], pd.DataFrame] | None = None) -> list[Paragraph]:
    """The 主要问题 paragraphs, in vocabulary order, for the categories that have findings.
    ``part_of(check)``: the whole rows of one check's findings in report order, when ``frame``
    holds only the short columns (govaudit/report/stream.py); by default they are ``frame``'s."""
    if part_of is None:
        part_of = lambda check: frame[frame["check"] == check].reset_index(drop=True)   # noqa: E731
    categories = [(title, checks) for title, checks in category_checks().items()]
    listed = {c for _, checks in categories for c in checks}
    others = [c for c in frame["check"].unique() if c not in listed]
    if others:
        categories.append((OTHER_CATEGORY, sorted(others)))   # by id, as the report always wrote them
    say = Say(examples_per_check)
    out = []
    counts = frame["check"].value_counts()
    for title, checks in categories:
        count = int(sum(counts.get(check, 0) for check in checks))
        if not count:
            continue
        para = Paragraph(title, count)
        for check in checks:
            if not counts.get(check, 0):
                continue
            said, examples = _sentence(check, names.get(check, check), part_of(check), say)
            para.sentences.append(said)
            para.examples += examples
        out.append(para)
    return out
