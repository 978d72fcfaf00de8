"""要素不规范: a present field is malformed or inconsistent (rules.md M4–M6).

One finding per document and field; when a field has several problems they are listed together.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict

import numpy as np

from audits.frames import lookup
from audits.registry import rule
from audits.textfacts import parse_date, strict_date, uscc_problem
from audits.docparts import document_batches
from audits.views import is_blank, to_date
from govaudit.core.clock import epoch_day


def doc_number_problems(value: str, written, config) -> tuple[list[str], bool]:
    """(problems, notice_only) for a 发文字号 (GB/T 9704 §7.2.5)."""
    cfg = config["elements"]
    if any(re.match(p, value) for p in cfg["doc_number_other_formats"]):
        return [], False                   # an order's 令号 or an announcement's number: 第N号 is its format
    m = re.match(cfg["doc_number_pattern"], value)
    if m:
        year = m.groupdict().get("year")
        if cfg["doc_number_year_check"] and written and year and int(year) != written.year:
            return [f"文号年份{year}与成文日期年份{written.year}不一致"], True
        return [], False
    problems = []
    if re.search(r"[\[\]【】（）()〈〉<>{}]", value):
        problems.append("年份未使用六角括号〔〕")
    if re.search(r"[〔\[【（(]\d{2}[〕\]】）)]", value):
        problems.append("年份应为四位")
    if re.search(r"[〕\]】）)]\s*第?\s*0\d*号", value):
        problems.append("序号不应编虚位（前导0）")
    if "第" in value:
        problems.append("序号前不应加“第”字")
    return problems or ["不符合“机关代字〔年份〕序号号”格式"], False


def index_style(value: str, styles: dict) -> str:
    for name, pattern in styles.items():
        if re.match(pattern, value):
            return name
    # An unknown style is its character shape: runs of digits -> 9, of letters -> A.
    return re.sub(r"[A-Za-z]+", "A", re.sub(r"\d+", "9", value))


def _index_values(docs, config) -> dict[str, str]:
    return {u: str(f.get("索引号")).strip() for u, f in zip(docs.index, docs["fields"])
            if not is_blank(f.get("索引号"), config)}


def _fetched_parts(snapshot, config, columns):
    for docs in document_batches(snapshot, config, ("fetched_ok", *columns)):
        yield docs[docs["fetched_ok"]]


class _IndexSurvey:
    """What the 索引号 checks need from every document, read a part at a time: the dominant style
    (if one holds ``index_dominant_min_share``) and the hashes of values seen more than once (a
    number per document, not the values: a repeat is confirmed on the values themselves)."""

    def __init__(self, snapshot, config):
        cfg = config["elements"]
        styles: Counter = Counter()
        hashes = array("q")
        for docs in _fetched_parts(snapshot, config, ("fields",)):
            for value in _index_values(docs, config).values():
                styles[index_style(value, cfg["index_styles"])] += 1
                hashes.append(hash(value))
        self.dominant = None
        if styles:
            dominant, count = styles.most_common(1)[0]
            if count / sum(styles.values()) >= cfg["index_dominant_min_share"]:
                self.dominant = dominant
        found, counts = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True)
        self.repeated = set(found[counts > 1].tolist()) if cfg["duplicate_index_check"] else set()


def _index_findings(docs, config, survey: _IndexSurvey):
    """(url, 索引号, value, problems, False, extra) of one part, but for the repeated values."""
    cfg = config["elements"]
    for u, v in _index_values(docs, config).items():
        problems, extra = [], {}
        style = index_style(v, cfg["index_styles"])
        if survey.dominant is not None and style != survey.dominant:
            problems.append("索引号结构与本站其他信息不一致")
            extra.update(dominant_style=survey.dominant, style=style)
        prefix = v.split("/")[0]
        if cfg["uscc_check"] and "/" in v and len(prefix) == 18 and re.match(r"^\d{8}", prefix):
            why = uscc_problem(prefix)
            if why:
                problems.append(why)
        yield u, "索引号", v, problems, False, extra


def _duplicates(held: dict) -> dict[str, str]:
    """{URL: the URL that keeps its 索引号} among the held documents of repeated values: the
    earliest-published copy keeps the number; ties go to the smallest URL."""
    by_value = defaultdict(list)
    for url, (value, published, _) in held.items():
        by_value[value].append((published or "9999-99-99", url))
    return {url: min(urls)[1] for urls in by_value.values() if len(urls) > 1
            for _, url in sorted(urls)[1:]}


def _element_problems(docs, config, survey: _IndexSurvey):
    yield from _index_findings(docs, config, survey)
    for u, fields, written, published in zip(docs.index, docs["fields"], docs["written_date"], docs["publish_date"]):
        written = to_date(written)
        published = to_date(published)
        number = fields.get("发文字号")
        if not is_blank(number, config):
            probs, notice = doc_number_problems(str(number).strip(), written, config)
            if probs:
                yield u, "发文字号", number, probs, notice, {}
        for name, normalised in (("成文日期", written), ("发布日期", published)):
            raw = fields.get(name)
            if is_blank(raw, config):
                continue
            day = strict_date(raw, config["elements"]["date_patterns"]) or epoch_day(raw)   # a script shows it as a date
            if day is None:
                yield u, name, raw, ["日期无法识别" if parse_date(raw) is None else "日期格式不规范"], False, {}
            elif name == "成文日期":
                written = day
            else:
                published = day
        if written and published and written > published:
            yield u, "成文日期", fields.get("成文日期"), ["成文日期晚于发布日期"], False, \
                {"written_date": written.isoformat(), "publish_date": published.isoformat()}


def sentence(part, say):
    """主要问题: documents with malformed fields, counted by field."""
    return (f"{part['url'].nunique()}篇文件要素不规范（{say.field_breakdown(part, '处')}）",
            say.examples(part, say.with_unit))


@rule("invalid_element", name="要素不规范", order=50, severity="deduct", tasks=[20],
      category="文件要素不全、不规范", config=["elements.doc_number_pattern", "elements.doc_number_other_formats", "elements.doc_number_year_check",
              "elements.date_patterns", "elements.index_styles", "elements.index_dominant_min_share",
              "elements.uscc_check", "elements.duplicate_index_check"],
      sentence=sentence,
      basis="GB/T 9704-2012 发文字号格式；统一社会信用代码（GB 32100）与索引号规则；成文日期不晚于发布日期；"
            "要点任务20（要素齐全、格式规范）",
      views=["document_parts"])
def invalid_element(snapshot, config, as_of):
    """A present field is malformed or inconsistent (rules.md M4–M6).

    url: the document (`field`: the field)
    refs: M4–M6
    severity: deduct (〔年份〕≠成文年份: notice)

    含义：要素内容格式不规范：发文字号不符合“机关代字〔年份〕序号号”格式（如使用了[]或（）、年份不是四位、序
    号有“第”字或前导0；命令（令）的令号“第N号”、公告的“2023年第N号”是其本身的编号格式，不在此列）；日期无法识别或写法不规范；成文日期晚于发布日期；索引号结构与本站其他信息不一致、统
    一社会信用代码校验位错误或索引号重复。
    依据：《党政机关公文格式》（GB/T 9704-2012）关于发文字号的规定；《法人和其他组织统一社会信用代码编码规则》
    （GB 32100-2015）；政务公开工作要点“要素齐全、格式规范”。
    自查方法：对照“证据”中的“页面所见”和“问题”，查看文件页面的要素表；索引号问题可与本单位其他文件的索引
    号比较。
    整改方法：按规范格式修改要素：发文字号使用六角括号〔〕和四位年份，序号不编虚位、不加“第”字；日期统一写作
    “2023-05-06”或“2023年5月6日”；索引号按平台规则重新生成，避免重复。
    """
    survey = _IndexSurvey(snapshot, config)
    held: dict[str, tuple] = {}         # documents whose 索引号 may repeat: judged after the last part
    read = ("fields", "written_date", "publish_date", "title", "unit", "column", "column_url")
    for docs in _fetched_parts(snapshot, config, read):
        row = lookup(docs, ("title", "unit", "column", "column_url", "publish_date"))
        for (url, name), e in _merged(_element_problems(docs, config, survey)).items():
            if name == "索引号" and hash(e["value"]) in survey.repeated:
                held[url] = (e["value"], row(url)["publish_date"], (e, row(url)))
            elif e["problems"]:
                yield _finding(url, name, e, row(url))
    keeper = _duplicates(held)
    for url, (_, _, (e, d)) in held.items():
        if url in keeper:
            e["problems"].append("索引号重复")
            e["extra"]["duplicate_of"] = keeper[url]
        if e["problems"]:
            yield _finding(url, "索引号", e, d)


def _merged(found) -> dict[tuple[str, str], dict]:
    """One entry per document and field, its problems listed together."""
    merged: dict[tuple[str, str], dict] = {}
    for url, name, value, problems, notice, extra in found:
        entry = merged.setdefault((url, name), {"value": value, "problems": [], "notice": True, "extra": {}})
        entry["problems"] += [p for p in problems if p not in entry["problems"]]
        entry["notice"] = entry["notice"] and notice
        entry["extra"].update(extra)
    return merged


def _finding(url: str, name: str, e: dict, d: dict):
    kwargs = {"severity": "notice"} if e["notice"] else {}
    return invalid_element.finding(
        url, f"《{d['title']}》{name}“{e['value']}”不规范：{'；'.join(e['problems'])}",
        field=name, unit=d["unit"], column=d["column"], column_url=d["column_url"],
        evidence={"value": e["value"], "problems": e["problems"], **e["extra"]}, **kwargs)
