"""主要问题: one paragraph per problem category, phrased like a real 检查情况通报.

Each check has a sentence builder (registered with ``@sentence``) that counts its findings
the way inspectors count them and picks a few concrete examples; checks without one get a
plain "名称N处" sentence.  The category list and its order come from vocabulary.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from audits.textfacts import quoted_title

from govaudit.report.evidence import evidence_value
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


Builder = Callable[[pd.DataFrame, int], tuple[str, list[Example]]]
SENTENCES: dict[str, Builder] = {}


def sentence(check: str):
    def register(fn: Builder) -> Builder:
        SENTENCES[check] = fn
        return fn
    return register


# ---- helpers ------------------------------------------------------------------------------

DATE_KEYS = ("latest_date", "newest_date", "last_update", "latest")


def _evidence_date(ev: dict) -> str:
    return next((evidence_value("", k, ev) for k in DATE_KEYS if ev.get(k)), "")


def _window(ev: dict) -> str:
    """The update window in the notices' words: 两周 / 半年 / 一年."""
    return evidence_value("stale_column", "window", ev) or vocabulary()["windows"].get(ev.get("class"), "规定时限")


def _where(row) -> str:
    return f"{row.unit}“{row.column}”栏目" if row.column else row.unit


def _title(row) -> str:
    ev = row.evidence
    if ev.get("title"):
        return f"《{ev['title']}》"
    return quoted_title(row.message) or row.url


def _with_unit(row) -> str:
    """The finding's message, led by its unit unless it already names it."""
    if not row.message or row.message.startswith(row.unit):
        return row.message or row.url
    return f"{row.unit}{row.message}" if row.message[0] in "《「“" else f"{row.unit}：{row.message}"


def _units(part: pd.DataFrame) -> int:
    return part["unit"].nunique()


def _field_breakdown(part: pd.DataFrame, unit_word: str) -> str:
    counts = part.groupby("field")["url"].nunique().sort_values(ascending=False, kind="stable")
    return "、".join(f"{f or '其他'}{n}{unit_word}" for f, n in counts.items())


def _examples(part: pd.DataFrame, limit: int, text: Callable) -> list[Example]:
    """Examples from as many different units as possible, most affected units first."""
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


# ---- sentences ----------------------------------------------------------------------------

@sentence("empty_column")
def _empty(part, limit):
    def text(r):
        shown = r.evidence.get("placeholder_text") or r.evidence.get("placeholder")
        return _where(r) + (f"（页面仅显示“{shown}”）" if shown else "")
    return f"经检测，共发现空白栏目{len(part)}个，涉及{_units(part)}个单位", _examples(part, limit, text)


@sentence("stale_homepage")
def _stale_home(part, limit):
    r = part.iloc[0]
    date = _evidence_date(r.evidence)
    said = f"首页最近更新于{date}，超过两周未更新" if date else "首页超过两周未更新"
    return said, [Example(said, r.url)]


@sentence("stale_column")
def _stale(part, limit):
    def text(r):
        date = _evidence_date(r.evidence)
        if date:
            return f"{_where(r)}最近更新于{date}，超过{_window(r.evidence)}未更新"
        return f"{_where(r)}信息均未标注发布日期，视为未更新"
    class_names = vocabulary()["column_classes"]
    classes = part["evidence"].map(lambda e: e.get("class_label") or class_names.get(e.get("class"), ""))
    split = "，".join(f"{c}{n}个" for c, n in classes.value_counts().items() if c)
    said = f"共发现更新不及时栏目{len(part)}个，涉及{_units(part)}个单位" + (f"（其中{split}）" if split else "")
    return said, _examples(part, limit, text)


@sentence("missing_element")
def _missing(part, limit):
    fields = part.groupby("url", sort=False)["field"].agg(lambda f: "、".join(x for x in f if x))

    def text(r):
        return f"{r.unit}{_title(r)}缺少{fields[r.url]}" if fields[r.url] else r.message
    return (f"{part['url'].nunique()}篇文件要素不全（缺少{_field_breakdown(part, '篇')}）",
            _examples(part.drop_duplicates("url"), limit, text))


@sentence("invalid_element")
def _invalid(part, limit):
    return (f"{part['url'].nunique()}篇文件要素不规范（{_field_breakdown(part, '处')}）",
            _examples(part, limit, _with_unit))


@sentence("missing_interpretation")
def _no_interpretation(part, limit):
    return f"{part['url'].nunique()}篇政策文件未关联政策解读", _examples(part, limit, lambda r: f"{r.unit}{_title(r)}未关联政策解读")


@sentence("interpretation_one_way")
def _one_way(part, limit):
    direction = part["evidence"].map(lambda e: e.get("missing") or "")
    back = (direction == "解读未关联原文").sum()
    forth = len(part) - back
    said = "；".join(s for s in (
        f"{back}篇解读未关联政策原文" if back else "",
        f"{forth}篇政策文件未关联其解读（解读已链接原文）" if forth else "",
    ) if s) + "，未实现双向关联"
    return said, _examples(part, limit, lambda r: f"{r.unit}{_title(r)}{r.evidence.get('missing') or '未双向关联'}")


@sentence("late_interpretation")
def _late(part, limit):
    limits = part["evidence"].map(lambda e: e.get("limit_workdays")).dropna().unique()
    bound = f"（超过{limits[0]}个工作日）" if len(limits) == 1 else ""

    def text(r):
        ev = r.evidence
        if ev.get("publish_date") and ev.get("interpretation_date"):
            return f"{r.unit}{_title(r)}于{ev['publish_date']}发布，解读于{ev['interpretation_date']}才发布"
        return _with_unit(r)
    return f"解读发布不及时{bound}{len(part)}篇", _examples(part, limit, text)


@sentence("broken_link")
def _broken(part, limit):
    home = part["on_homepage"].sum() if "on_homepage" in part else 0
    attachments = part["is_attachment"].sum() if "is_attachment" in part else 0
    said = f"首页不可用链接{home}条、其他页面不可用链接{len(part) - home}条"
    if attachments:
        said += f"，其中附件失效{attachments}个"

    def text(r):
        ev = r.evidence
        what = f"“{ev['anchor']}”" if ev.get("anchor") else ("附件" if r.is_attachment else "链接")
        outcome = str(ev.get("outcome") or "")
        why = (evidence_value("broken_link", "status", ev) if ev.get("status") and (outcome.startswith("http_") or not outcome)
               else evidence_value("broken_link", "outcome", ev) or "无法访问")
        where = "首页" if r.on_homepage else f"{_where(r)}页面中的" if r.column else ""
        return f"{where}{what}（{r.url}）{why}"
    return said, _examples(part, limit, text)


@sentence("link_inconclusive")
def _inconclusive(part, limit):
    return (f"链接返回403、429等状态、疑为网站防护拦截的{len(part)}条（未计入不可用链接，需人工核查）",
            _examples(part, limit, _with_unit))


def _generic(name: str) -> Builder:
    def build(part, limit):
        return f"{name}{len(part)}处", _examples(part, limit, _with_unit)
    return build


# ---- paragraphs ---------------------------------------------------------------------------

def paragraphs(frame: pd.DataFrame, names: dict[str, str], examples_per_check: int) -> list[Paragraph]:
    """The 主要问题 paragraphs, in vocabulary order, for the categories that have findings."""
    categories = [dict(c) for c in vocabulary()["categories"]]
    listed = {c for cat in categories for c in cat["checks"]}
    others = [c for c in frame["check"].unique() if c not in listed]
    if others:
        categories.append({"title": "其他问题", "checks": sorted(others)})
    out = []
    for category in categories:
        part = frame[frame["check"].isin(category["checks"])]
        if part.empty:
            continue
        para = Paragraph(category["title"], len(part))
        for check in category["checks"]:
            rows = part[part["check"] == check]
            if rows.empty:
                continue
            build = SENTENCES.get(check) or _generic(names.get(check, check))
            said, examples = build(rows.reset_index(drop=True), examples_per_check)
            para.sentences.append(said)
            para.examples += examples
        out.append(para)
    return out
