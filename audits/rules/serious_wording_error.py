"""严重表述错误: a variant of a protected term (国名, leader names, core 提法, the site's own place and
organ names), a reviewed wrong form, an outdated agency name, or a leader's title that did not hold
on the page's 发布日期."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import ahocorasick_rs

from audits.registry import rule
from audits.texts import document_texts
from audits.docparts import document_batches
from audits.frames import lookup
from audits.wording import Term, data, matcher, sentence_at

_KIND_WORDS = {"state": "国名或国家机构名称", "leader": "领导人姓名", "phrase": "规范提法", "organ": "机构名称",
               "place": "地名", "typo": "规范用字", "sovereignty": "涉港澳台"}
_RULE_WORDS = {"typo": "经核对的错误写法", "pinyin": "同音字", "substituted": "错一字", "dropped": "漏一字",
               "renamed": "机构改革后已更名", "title": "职务与发布日期不符",
               "country": "将港澳台称作国家（应写“国家和地区”）", "sovereignty": "涉台禁用表述",
               "pattern": "经核对的错误写法"}


def _severity(kind: str, how: str) -> str:
    if kind in ("state", "leader", "sovereignty") and how != "title":
        return "veto"
    if kind in ("phrase", "typo") or how == "typo":
        return "deduct"
    return "notice"          # organ/place variants, renamed agencies, titles: 待人工核对


def _leader_context(cfg) -> tuple[str, ...]:
    """Words that show a sentence speaks of a leader: the table's titles and ``leaders.context``."""
    d = data()["leaders"]
    return tuple(sorted({*d.get("context", []), *(r["title"] for r in [*d["rows"], *cfg["extra_leaders"]] if r.get("title"))}))


def _terms(snapshot, cfg) -> tuple[Term, ...]:
    d = data()
    terms = [Term(t, "state", d["state"]["source"]) for t in d["state"]["terms"]]
    terms += [Term(t, "phrase", d["phrases"]["source"]) for t in d["phrases"]["terms"]]
    for row in [*d["leaders"]["rows"], *cfg["extra_leaders"]]:
        terms.append(Term(row["name"], "leader", d["leaders"]["source"]))
    for row in cfg["extra_terms"]:
        terms.append(Term(row["term"], row.get("kind", "organ"), "检查配置（profile）"))
    names = [snapshot.scan.get("site_name") or ""]
    units = snapshot.units
    if len(units):
        names += [n for n, k in zip(units["name"], units["kind"]) if k in ("town", "district")]
    for name in names:
        if name and len(name) >= cfg["learnt_min_chars"]:
            terms.append(Term(name, "place" if re.search(r"(街道|镇|乡)$", name) else "organ", "本网站机构名称"))
    unique: dict[str, Term] = {}
    for t in terms:
        unique.setdefault(t.text, t)
    return tuple(unique.values())


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _finder(words: tuple[str, ...]):
    return ahocorasick_rs.AhoCorasick([w for w in words if w]) if any(words) else None


def _present(text: str, words: tuple[str, ...]) -> set[str]:
    """The words of ``words`` that occur in ``text``, found in one pass (27 substring searches
    per page were 15 % of the rule, profiled on 10⁴ synthetic documents)."""
    finder = _finder(words)
    found = {m for m in finder.find_matches_as_strings(text, overlapping=True)} if finder else set()
    return found | ({""} if "" in words else set())


class _DatedChecks:
    """Renamed agencies and leader titles, checked against a page's 发布日期; the tables are
    built once per audit, not per page (a fifth of the rule's time at 10⁵ pages)."""

    def __init__(self, cfg):
        d = data()
        self.prefixes = tuple(cfg["history_prefixes"])
        self.renamed = [(row, _as_date(row["after"])) for row in d["renamed"]["rows"]]
        self.leaders = [*d["leaders"]["rows"], *cfg["extra_leaders"]]
        self.words = tuple(row["old"] for row in d["renamed"]["rows"]) + tuple(r["name"] for r in self.leaders)

    def hits(self, text: str, published: dt.date | None, present: set[str] | None = None) -> list[tuple[int, int, str, str, str]]:
        """(start, end, wrong, expected, how) of renamed agencies and of leader titles out of date;
        ``present``: which of ``self.words`` occur in ``text``, if already known."""
        if published is None:
            return []
        out, prefixes = [], self.prefixes
        if present is None:
            present = _present(text, self.words)
        for row, after in self.renamed:
            if row["old"] not in present or published <= after:
                continue
            for m in re.finditer(re.escape(row["old"]), text):
                if not text[:m.start()].endswith(prefixes):
                    out.append((m.start(), m.end(), row["old"], row["new"], "renamed"))
        rows = [r for r in self.leaders if r["name"] in present]
        if not rows:
            return out
        held = {(r["name"], r["title"]) for r in rows
                if _as_date(r["valid_from"]) <= published and (not r.get("valid_to") or published < _as_date(r["valid_to"]))}
        for r in rows:
            if (r["name"], r["title"]) in held:
                continue
            # 原国务院总理李克强: the prefix stands before the longer title that ends with this one
            heads = tuple(t[:-len(r["title"])] for n, t in ((x["name"], x["title"]) for x in rows)
                          if n == r["name"] and t != r["title"] and t.endswith(r["title"]))
            for pattern in (re.escape(r["title"]) + re.escape(r["name"]), re.escape(r["name"]) + re.escape(r["title"])):
                for m in re.finditer(pattern, text):
                    before = text[:m.start()]
                    head = next((h for h in heads if m.group(0).startswith(r["title"]) and before.endswith(h)), "")
                    if not before[:len(before) - len(head)].endswith(prefixes):
                        others = sorted(t for n, t in held if n == r["name"])
                        out.append((m.start(), m.end(), m.group(0), "、".join(others) or f"（{published}时已不任{r['title']}）",
                                    "title"))
        return out


# An item of a list (a place name, not a phrase: no 的/到/在 … in it) and the qualifier between 等 and
# 国家 (亚洲, 沿线, 十余个).  国家级/国家标准 … and 国家和地区 are no list of states.
_ITEM = r"[^、，,。；;：:\s“”\"（）()的地得了着到在是为对向从把被给于将]{1,8}"
_QUALIFIER = r"[^，,。；;、\s的地得和与及或在到从对向]{0,4}"
_QUOTED = ("所谓", "“", "「", "\"", "‘")
_NOT_STATES = r"(?!和地区|或地区|与地区|及地区|地区|[（(]地区|级|机关|标准|部委|层面|战略|安全|利益|政策|主权|统一)"


class _SovereigntyChecks:
    """港澳台 named as 国家 (a list ending in 等…国家 without 和地区) and the fixed forbidden forms
    (台湾政府 …) unless quoted or after 所谓."""

    def __init__(self):
        d = data().get("sovereignty") or {}
        self.source = d.get("source", "")
        places = "|".join(map(re.escape, d.get("places") or [])) or "(?!)"
        self.listed = re.compile(rf"(?:{places})(?:地区)?(?:[、和及与]{_ITEM}?)*?等(?:[\d一二三四五六七八九十百几多余]+个)?"
                                 rf"{_QUALIFIER}国家{_NOT_STATES}")
        self.forms = {f["wrong"]: f["right"] for f in d.get("forms") or []}
        self.words = tuple(d.get("places") or []) + tuple(self.forms)

    def hits(self, text: str, present: set[str]) -> list[tuple[int, int, str, str, str]]:
        out = []
        if "国家" in text and any(p in present for p in self.words if p not in self.forms):
            out += [(m.start(), m.end(), m.group(0), m.group(0) + "和地区", "country")
                    for m in self.listed.finditer(text)]
        for wrong in (w for w in self.forms if w in present):
            out += [(m.start(), m.end(), wrong, self.forms[wrong], "sovereignty")
                    for m in re.finditer(re.escape(wrong), text) if not text[:m.start()].endswith(_QUOTED)]
        return out


def _pattern_hits(text: str) -> list[tuple]:
    """(start, end, wrong, expected, "pattern", kind, source) of the reviewed wrong patterns."""
    return [(m.start(), m.end(), m.group(0), m.expand(row["right"]), "pattern", row.get("kind", "phrase"),
             row.get("source", ""))
            for row, pattern in _patterns() if row["needle"] in text for m in pattern.finditer(text)]


@lru_cache(maxsize=1)
def _patterns() -> tuple:
    return tuple((row, re.compile(row["pattern"])) for row in data().get("patterns") or [])


def _texts(snapshot, config):
    """(URL, body text, {title, publish_date, unit, column, column_url}) of every fetched document."""
    read = ("title", "publish_date", "unit", "column", "column_url")
    for docs in document_batches(snapshot, config, ("fetched_ok", *read)):       # texts of one part at a time
        row = lookup(docs, read)
        for url, body in document_texts(snapshot, docs.index[docs["fetched_ok"]]):
            yield url, body, row(url)


def _quotes_errors_on_purpose(title: str, cfg: dict) -> bool:
    """A 纠错/勘误 page, or a 通报 on websites' wording, quotes the wrong forms it reports."""
    if any(k in title for k in cfg["exempt_title_keywords"]):
        return True
    return cfg["exempt_report_title"] in title and any(k in title for k in cfg["exempt_report_subjects"])


@rule("serious_wording_error", name="严重表述错误", order=185, severity="veto", tasks=[32],
      category="严重表述错误", config=["wording"],
      sentence="{documents}个页面存在严重表述错误",
      labels={"wrong": "错误表述", "expected": "正确表述", "sentence": "原句", "rule": "判定依据", "source": "依据来源"},
      basis="《政府网站与政务新媒体检查指标》单项否决“严重表述错误”；要点任务32（三审三校、内容准确）",
      views=["document_parts"], own_tables=True)
def serious_wording_error(snapshot, config, as_of):
    """A wrong form of a term the office must get right, quoted with its sentence.

    url: the page
    refs: V (严重表述错误), 要点任务32
    severity: veto for 国名/国家机构, leader names (a name's variant only in a sentence on the leader,
    else notice) and 港澳台 named as 国家 or by a forbidden form; deduct for 核心提法 and the reviewed wrong forms;
    notice (待人工核对) for the site's place and organ names, renamed agencies and leader titles

    含义：页面中出现国名、国家机构名称、党和国家领导人姓名、核心提法、本地地名和机构名称的错误写法（同音字、
    错一字、漏一字、经核对的常见错字），将香港、澳门、台湾称作“国家”（与国家并列时漏写“和地区”）或使用“台湾政府”
    等禁用表述，在机构改革后仍使用旧机构名称，或领导人职务与发布日期不符。
    依据：《政府网站与政务新媒体检查指标》将“严重表述错误”列为单项否决指标；政务公开工作要点关于“三审三校”、
    内容准确的要求；新华社《新闻信息报道中的禁用词和慎用词》关于涉及领土、主权和港澳台的规定；各地检查通报点名
    的错误表述（如“攻府”“中华人民共合国”“扫黑险恶”）。
    自查方法：打开页面，按报告引用的原句查找错误表述，与正确表述核对；纠错、勘误页面和网站检查通报中有意引用的
    错误写法不在此列（其他工作的情况通报、表彰通报照常检查）。
    整改方法：立即更正错误表述并重新审核发布；落实“三审三校”制度，领导人姓名、职务和国名等重要表述须专人核对。
    """
    cfg = config["wording"]
    d = data()
    typos = tuple(tuple(sorted(t.items())) for t in [*d["typos"], *cfg["extra_typos"]])
    dated, sovereignty = _DatedChecks(cfg), _SovereigntyChecks()
    # The dated and 港澳台 checks' words ride in the same automaton: one pass over each text, not two.
    m = matcher(_terms(snapshot, cfg), typos, tuple([*(d.get("legitimate") or {}).get("terms", []), *cfg["allow"]]), cfg["min_pinyin_chars"], cfg["min_edit_chars"],
                tuple(sorted({*dated.words, *sovereignty.words})), cfg.get("long_pinyin_chars"))
    markers = tuple(cfg["correction_markers"])
    leader_words = _leader_context(cfg)
    for url, body, doc in _texts(snapshot, config):
        title = doc["title"] or ""
        if _quotes_errors_on_purpose(title, cfg):
            continue
        text = title + "\n" + body
        hits, present = m.scan_and_watch(text)
        found = [(h.start, h.end, h.wrong, h.expected, h.rule, h.kind, h.source) for h in hits]
        published = _as_date(doc["publish_date"])
        found += [(*hit, "organ" if hit[4] == "renamed" else "leader", d["renamed"]["source"]
                   if hit[4] == "renamed" else d["leaders"]["source"]) for hit in dated.hits(text, published, present)]
        found += [(*hit, "sovereignty", sovereignty.source) for hit in sovereignty.hits(text, present)]
        found += _pattern_hits(text)
        done, spans = set(), []
        for start, end, wrong, expected, how, kind, source in sorted(found, key=lambda h: (h[0], h[0] - h[1])):
            sentence = sentence_at(text, start, end)
            if wrong in done or any(s <= start and end <= e for s, e in spans) or any(k in sentence for k in markers):
                continue
            done.add(wrong)
            spans.append((start, end))
            what = "领导人职务" if how == "title" else _KIND_WORDS.get(kind, "表述")
            severity = _severity(kind, how)
            if kind == "leader" and how != "typo" and severity == "veto" and not any(w in sentence for w in leader_words):
                severity = "notice"      # a name like a leader's, in no leader's context: another person
            yield serious_wording_error.finding(
                url, f"《{title}》{what}表述错误：“{wrong}”应为“{expected}”", field=wrong,
                severity=severity, unit=doc["unit"], column=doc["column"], column_url=doc["column_url"],
                evidence={"wrong": wrong, "expected": expected, "sentence": sentence,
                          "rule": _RULE_WORDS[how], "source": source, "publish_date": doc["publish_date"]})
