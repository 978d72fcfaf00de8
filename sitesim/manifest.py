"""The ground-truth manifest: what exists, and every defect by the audit semantics of docs/design.md.

Defects are derived from the site model (not from a list kept while planting), so every
generation — base site or mutation — is described exactly, including anything a planting
step did not intend.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from sitesim import catalog as cat, veto
from sitesim.calendar import add_workdays, workdays_between
from sitesim.ids import USCC_CHARSET, uscc_check
from sitesim.pages import PAGE_SIZE, Pages
from sitesim.plantfiles import derive as derive_files

CLASSES = (("dynamic", ("动态", "要闻", "新闻"), relativedelta(days=14)),
           ("notice_policy", ("通知", "公告", "公示", "政策", "文件", "规范性文件"), relativedelta(months=6)),
           ("personnel_plan", ("人事", "任免", "招考", "招聘", "规划", "计划"), relativedelta(years=1)))
NO_WINDOW = ("专题", "历史", "年报", "指南", "制度", "机构职能")
POLICY_COLUMN = ("政府文件", "政府办公室文件", "规范性文件", "政策文件", "部门文件")
POLICY_REQUIRED = cat.POLICY_FIELDS
BASIC_REQUIRED = ("索引号", "发文机关", "发布日期")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9]+〔((?:19|20)\d{2})〕[1-9]\d*号$")
INDEX_NO = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}/\d{4}-\d+$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DATE_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
CORE_CHECKS = ("empty_column", "stale_column", "missing_element", "invalid_element", "missing_interpretation",
               "interpretation_one_way", "late_interpretation", "broken_link")
BROKEN = {404, 410, 500, 502, 503, 504}
INCONCLUSIVE = {401, 403, 406, 412, 418, 429}


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    m = DATE_ISO.match(value.strip()) or DATE_CN.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def column_class(col) -> tuple[str | None, relativedelta | None]:
    names = [col.name] + ([col.parent.name] if col.parent else [])
    if any(k in n for n in names for k in NO_WINDOW):
        return None, None
    for name in names:
        for cls, words, window in CLASSES:
            if any(w in name for w in words):
                return cls, window
    return None, None


def is_policy_column(col) -> bool:
    names = [col.name] + ([col.parent.name] if col.parent else [])
    return col.section == "gongkai" and any(k in n for n in names for k in POLICY_COLUMN)


def required_fields(doc) -> tuple:
    cols = [c for c in doc.columns if c.section == "gongkai"]
    if not cols:
        return ()
    return POLICY_REQUIRED if any(is_policy_column(c) for c in cols) else BASIC_REQUIRED


class Oracle:
    def __init__(self, site, base: str, pages: Pages | None = None):
        self.site = site
        self.base = base
        self.pages = pages or Pages(site)
        self.defects: list = []
        self.as_of = site.as_of

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, check: str, path: str, field: str | None = None, note: str = "", **extra):
        d = {"check": check, "url": self.url(path), "field": field, "note": note}
        d.update(extra)
        self.defects.append(d)

    # ------------------------------------------------------------------ columns
    def columns(self):
        for col in self.site.columns:
            if not col.leaf or col.path in self.site.special:
                continue            # a dead column page is a broken_link only
            if not col.entries or col.placeholder:
                self.add("empty_column", col.path, note=f"空白栏目（{col.placeholder or '无信息'}）")
                continue
            cls, window = column_class(col)
            if window is None:
                continue
            dated = [e.date for e in col.entries if e.date]
            newest = max(dated) if dated else None
            if newest is None or newest < self.as_of - window:
                self.add("stale_column", col.path,
                         note=f"{cls}类，最近更新 {newest.isoformat() if newest else '无日期'}")

    # ------------------------------------------------------------------ elements
    def elements(self):
        seen_index: dict = {}
        for doc in self.site.docs:
            f = doc.fields
            for name in required_fields(doc):
                if f.get(name) is None or not f[name].strip():
                    self.add("missing_element", doc.path, name,
                             "未显示该要素" if name not in f else "要素值为空")
            number = (f.get("发文字号") or "").strip()
            written = parse_date(f.get("成文日期"))
            published = parse_date(f.get("发布日期"))
            if number:
                m = DOC_NUMBER.match(number)
                if not m:
                    self.add("invalid_element", doc.path, "发文字号", f"文号不规范：{number}")
                elif written and int(m.group(1)) != written.year:
                    self.add("invalid_element", doc.path, "发文字号", f"文号年份与成文日期不符：{number}")
            for name in ("成文日期", "发布日期"):
                raw = (f.get(name) or "").strip()
                if raw and parse_date(raw) is None:
                    self.add("invalid_element", doc.path, name, f"日期无法解析：{raw}")
            if written and published and written > published:
                self.add("invalid_element", doc.path, "成文日期", f"成文日期 {written} 晚于发布日期 {published}")
            index_no = (f.get("索引号") or "").strip()
            if index_no:
                if not INDEX_NO.match(index_no):
                    self.add("invalid_element", doc.path, "索引号", f"索引号结构不符：{index_no}")
                elif uscc_check(index_no[:17]) != index_no[17]:
                    self.add("invalid_element", doc.path, "索引号", f"统一社会信用代码校验位错误：{index_no[:18]}")
                else:
                    seen_index.setdefault(index_no, []).append(doc)
        for index_no, docs in seen_index.items():
            if len(docs) > 1:
                docs = sorted(docs, key=lambda d: (parse_date(d.fields.get("发布日期")) or d.publish, d.path))
                for dup in docs[1:]:
                    self.add("invalid_element", dup.path, "索引号", f"索引号重复：{index_no}")

    # ------------------------------------------------------------------ 解读
    def interpretation(self):
        docs = self.site.docs
        interp_titles = [d.title for d in docs if any("解读" in c.name for c in d.columns)]
        for doc in docs:
            if not any(c.section == "gongkai" for c in doc.columns):
                continue
            number = doc.fields.get("发文字号") or ""
            must = (any("规范性文件" in n for c in doc.columns for n in [c.name] + ([c.parent.name] if c.parent else []))
                    or "政发" in number or "政办发" in number)
            if must and not ("任免" in doc.title or "转发" in doc.title):
                if not doc.interp_links and not any(f"《{doc.title}》" in t for t in interp_titles):
                    self.add("missing_interpretation", doc.path, note="未关联解读")
        one_way: dict = {}
        pairs = set()
        for doc in docs:
            for jd in doc.interp_links:
                pairs.add((doc, jd))
                if doc not in jd.original_links:
                    one_way.setdefault(doc.path, (jd.path, "解读未关联原文"))
            if doc.is_interp:
                for orig in doc.original_links:
                    pairs.add((orig, doc))
                    if doc not in orig.interp_links:
                        one_way.setdefault(orig.path, (doc.path, "原文未关联解读"))
        for path, (jd_path, missing) in one_way.items():
            self.add("interpretation_one_way", path, note=missing, evidence={"interpretation": self.url(jd_path),
                                                                              "missing": missing})
        late = {}
        for doc, jd in sorted(pairs, key=lambda p: (p[0].path, p[1].path)):   # sets of objects: order by path
            d1, d2 = parse_date(doc.fields.get("发布日期")), parse_date(jd.fields.get("发布日期"))
            if d1 and d2 and d2 > add_workdays(d1, 3):
                late.setdefault(doc.path, f"文件 {d1} 发布，解读 {d2} 发布")
        for path, note in late.items():
            self.add("late_interpretation", path, note=note)

    # ------------------------------------------------------------------ links
    def link_candidates(self):
        s = self.site
        out = []
        for href, _ in s.homepage_links:
            out.append((href, "/"))
        for doc in s.docs:
            for href, _ in doc.attachments:
                out.append((href, doc.path))
            for href, _ in doc.extra_links:
                out.append((href, doc.path))
            for src, _ in doc.images:
                out.append((src, doc.path))
        for col in s.columns:
            if col.path in s.special:
                out.append((col.path, col.parent.path if col.parent else col.unit.home if col.unit else "/"))
            for e in col.entries:
                if e.doc is None:
                    out.append((e.path, col.path))
        return out

    def links(self):
        done = set()
        soft = self.pages.soft404().body
        for href, source in self.link_candidates():
            if href in done or any(href.startswith(p) for p in self.site.robots_disallowed):
                continue
            done.add(href)
            path, _, query = href.partition("?")
            resp = self.pages.respond("GET", path, query)
            note = f"链接来源 {self.url(source)}"
            if resp.status in BROKEN or resp.status >= 500:
                self.add("broken_link", href, note=f"HTTP {resp.status}；{note}", source=self.url(source),
                         on_homepage=source == "/")
            elif resp.status == 200 and resp.body == soft:
                self.add("broken_link", href, note=f"软404（页面不存在）；{note}", source=self.url(source),
                         on_homepage=source == "/")
            elif resp.status in INCONCLUSIVE:
                self.add("link_inconclusive", href, note=f"HTTP {resp.status}；{note}", source=self.url(source))

    # ------------------------------------------------------------------ further duties
    def duties(self):
        s, as_of = self.site, self.as_of
        for doc in s.docs:
            written, published = parse_date(doc.fields.get("成文日期")), parse_date(doc.fields.get("发布日期"))
            if written and published and written <= published and workdays_between(written, published) > 20:
                self.add("late_publication", doc.path, note=f"成文 {written}，发布 {published}")
            if doc.body.get("report_missing"):
                self.add("annual_report_incomplete", doc.path, note="缺少：" + "、".join(doc.body["report_missing"]))
            if doc.body.get("guide_missing"):
                self.add("guide_incomplete", doc.path, note="缺少：" + "、".join(doc.body["guide_missing"]))
            if doc.kind == "consult":
                start, end = doc.body["consult"]
                if (end - start).days < 30:
                    self.add("consultation_too_short", doc.path, note=f"征求意见 {start} 至 {end}")
                if doc.body.get("feedback_doc") is None:
                    self.add("missing_consultation_feedback", doc.path, note="无意见采纳情况反馈")
            until = doc.body.get("valid_until")
            if until and until < as_of and doc.fields.get("有效性") == "有效":
                self.add("expired_still_valid", doc.path, "有效性", note=f"有效期至 {until}，仍标注有效")
            if doc.body.get("leak"):
                self.add("privacy_leak", doc.path, note="公开身份证号码和手机号码")
            if any(alt is None for _, alt in doc.images):
                self.add("accessibility", doc.path, note="图片缺少 alt 替代文本")
        for page in s.counters.get("identity_missing", ()):
            self.add("site_identity_missing", f"/{page}/", note="页脚缺少ICP备案号、公安备案号")
        prev = as_of.year - 1
        for unit in [s.district, *s.units]:
            deadline = dt.date(as_of.year, 3 if unit.kind == "district" else 1, 31)
            col = next(c for c in unit.columns if c.kind == "report")
            reports = [e.doc for e in col.entries if e.doc and e.doc.body.get("report_year") == prev]
            if not reports:
                if as_of > deadline:
                    self.add("missing_annual_report", col.path, note=f"未发布{prev}年年报")
            elif min(r.publish for r in reports) > deadline:
                self.add("missing_annual_report", reports[0].path, note=f"{prev}年年报逾期发布")

    def run(self) -> list:
        self.columns()
        self.elements()
        self.interpretation()
        self.links()
        self.duties()
        self.defects += veto.defects(self.site, self.url)
        derive_files(self)
        return self.defects


def page_inventory(site, pages: Pages) -> dict:
    """Distinct HTML pages a complete crawler fetches (see docs/sitesim.md)."""
    counts = {"home": 3, "unit_homes": 1 + len(site.units), "hubs": 0, "list_pages": 0, "documents": len(site.docs)}
    for col in site.columns:
        if col.path in site.special:
            continue                    # a dead column page (soft 404) is no page of the site
        if col.style == "hub":
            counts["hubs"] += 1
        elif col.style in ("trs", "plain", "maxpage"):
            counts["list_pages"] += pages.pages_of(col)
        else:
            counts["list_pages"] += 1
    counts["total"] = sum(counts.values())
    return counts


def build_manifest(site, base: str, pages: Pages | None = None) -> dict:
    pages = pages or Pages(site)
    url = lambda p: base + p  # noqa: E731
    oracle = Oracle(site, base, pages)
    defects = oracle.run()
    inv = page_inventory(site, pages)
    district = site.district
    columns = []
    for col in site.columns:
        cls, _ = column_class(col)
        dated = [e.date for e in col.entries if e.date]
        columns.append({
            "url": url(col.path), "name": col.name, "path": col.tree_path,
            "parent_url": url(col.parent.path) if col.parent else None,
            "unit": col.unit.name if col.unit else district.name, "section": col.section, "leaf": col.leaf,
            "list_style": col.list_style, "class": cls, "policy": is_policy_column(col),
            "item_count": len(col.entries), "newest_date": max(dated).isoformat() if dated else None,
            "placeholder": shown_placeholder(col),
        })
    documents = []
    for doc in site.docs:
        documents.append({
            "url": url(doc.path), "title": doc.title, "unit": (doc.unit or district).name,
            "column_urls": [url(c.path) for c in doc.columns], "fields": dict(doc.fields),
            "publish_date": _iso(parse_date(doc.fields.get("发布日期"))),
            "written_date": _iso(parse_date(doc.fields.get("成文日期"))),
            "is_interpretation": doc.is_interp,
            "attachments": [url(a) for a, _ in doc.attachments],
            "interpretations": [url(j.path) for j in doc.interp_links],
            "originals": [url(o.path) for o in doc.original_links],
            "template": doc.template,
        })
    units = [{"name": u.name, "code": u.code, "home_url": url(u.home), "kind": u.kind, "uscc": u.uscc,
              "list_style": {"js_json": "js_shell", "js_html": "js_shell", "trs": "trs_createpage",
                             "plain": "plain_next", "maxpage": "maxpage_script",
                             "datastore": "hanweb_datastore"}[u.style],
              "encoding": "gbk" if u.encoding == "gbk" else "utf-8"} for u in [district, *site.units]]
    return {
        "as_of": site.as_of.isoformat(),
        "start_url": base + "/",
        "seed": site.seed,
        "size": site.size,
        "mutation": site.mutation,
        "defects": defects,
        "inventory": {"columns": len(site.columns), "documents": len(site.docs), "pages": inv["total"],
                      "units": len(units), "pages_detail": inv},
        "columns": columns,
        "documents": documents,
        "units": units,
        "traps": [{"kind": t["kind"], "url": url(t["path"]), "note": t["note"]} for t in site.traps],
        "robots_disallowed": list(site.robots_disallowed),
    }


def shown_placeholder(col) -> str | None:
    """The placeholder text the list page shows (TRS, plain and maxpage lists print 暂无信息 when empty)."""
    if col.placeholder:
        return col.placeholder
    if not col.entries and col.style in ("trs", "plain", "maxpage"):
        return "暂无信息"
    return None


def _iso(day):
    return day.isoformat() if day else None


__all__ = ["build_manifest", "parse_date", "column_class", "required_fields", "USCC_CHARSET", "PAGE_SIZE"]
