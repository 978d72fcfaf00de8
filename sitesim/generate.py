"""Build the whole simulated site (deterministic for a seed, size, as-of date and mutation)."""
from __future__ import annotations

import datetime as dt
import math
import random

from dateutil.relativedelta import relativedelta

from govaudit.core.errors import EXIT_USAGE, GovauditError
from sitesim import catalog as cat
from sitesim import text
from sitesim.defects import plant_dates, plant_fields
from sitesim.ids import channel_id, entry_time, make_uscc, object_id
from sitesim.model import Column, Doc, Entry, Site, Unit
from sitesim.mutation import mutate
from sitesim.plantfiles import plant_files

SMALL_DOCS = 0       # "small": the base counts below, factor 1
LARGE_DOCS = 20500

# Base number of documents per leaf column of each kind (size "small").
BULK = {
    "policy_gov": 14, "policy_office": 12, "policy_norm": 9, "policy_dept": 9, "notice": 7, "news": 9,
    "plan": 2, "personnel": 3, "budget": 3, "stats": 3, "relief": 3, "land": 2,
    "portal_news": 52, "portal_dept": 14, "portal_town": 14, "portal_notice": 10,
}
FIXED = {"guide": 1, "rules": 2, "org": 1, "portal_covid": 9}
# Newest item (days before as-of) and total span in days, by kind: fresh, inside every window.
RECENCY = {
    "news": (0, 5, 700), "portal_news": (0, 2, 700), "portal_dept": (0, 5, 700), "portal_town": (0, 5, 700),
    "notice": (2, 70, 1100), "portal_notice": (1, 20, 1100), "policy_gov": (2, 40, 1400), "policy_office": (1, 40, 1400),
    "policy_norm": (3, 60, 1400), "policy_dept": (2, 80, 1400), "plan": (20, 200, 1800), "personnel": (10, 200, 1400),
    "budget": (30, 300, 1400), "stats": (10, 120, 1100), "relief": (5, 90, 1100), "land": (10, 200, 1400),
    "portal_covid": (1000, 1100, 800), "guide": (200, 700, 0), "rules": (150, 900, 900), "org": (100, 600, 300),
}
POLICY_KINDS = {"policy_gov", "policy_office", "policy_norm", "policy_dept"}


def parse_size(value) -> object:
    if value in ("small", "large"):
        return value
    try:
        n = int(str(value))
    except ValueError:
        raise GovauditError(f"--size 须为 small、large 或文档数 / --size must be small, large or a number: {value}",
                            EXIT_USAGE) from None
    if n < 1 or n > 500000:
        raise GovauditError(f"--size 超出范围 / --size out of range (1..500000): {n}", EXIT_USAGE)
    return n


def size_factor(size) -> float:
    if size == "small":
        return 1.0
    n = LARGE_DOCS if size == "large" else int(size)
    return max(1.0, n / 760.0)   # below the small site, planting has too little to work on


class Builder:
    def __init__(self, seed: int, size, as_of: dt.date, mutation: int = 0):
        self.rng = random.Random(f"sitesim:{seed}")
        self.site = Site(seed=seed, size=size, as_of=as_of, mutation=mutation)
        self.factor = size_factor(size)
        self.as_of = as_of
        self.serial = 0
        self.titles: set[str] = set()
        self.artid = 4700000

    # ----------------------------------------------------------------- structure
    def build_units(self):
        s = self.site
        s.district = Unit(cat.DISTRICT, cat.DISTRICT_FULL, None, "district", make_uscc(cat.AREA_CODE, "00420491"),
                          "章政发", "js_json", "spaced", cat.LABELS["fwjg"], "iso")
        for (name, full, initials, suffix, kind, prefix, org8, style, layout, labels, datefmt, enc) in cat.UNITS:
            s.units.append(Unit(name, full, f"zhangqiuqu{initials}{suffix}", kind, make_uscc(cat.AREA_CODE, org8),
                                prefix, style, layout, cat.LABELS[labels], datefmt, enc))

    def add_columns(self, unit: Unit, spec: list, parent: Column | None, out: list):
        for key, name, kind, children in spec:
            self.serial += 1
            if unit.code is None:
                cid = channel_id(self.rng, "oid", None, self.serial)
                path = f"/gongkai/channel_{cid}/"
            else:
                style = self.rng.choice(["oid", "oid", "j", "c"])
                cid = channel_id(self.rng, style, unit.code, self.serial)
                path = f"/gongkai/site_{unit.code}/channel_{cid}/"
            col = Column(key, name, unit, "gongkai", kind, path, unit.style if kind else "hub", parent=parent,
                         colid=30000 + self.serial)
            out.append(col)
            unit.columns.append(col)
            self.site.columns.append(col)
            if children:
                self.add_columns(unit, children, col, col.children)

    def build_columns(self):
        s = self.site
        top: list = []
        self.add_columns(s.district, cat.DISTRICT_COLUMNS, None, top)
        for u in s.units:
            self.add_columns(u, cat.unit_columns(u.name, u.kind), None, [])
        lib = Column("library", "政策文件", s.district, "gongkai", "library",
                     f"/gongkai/channel_{cat.LIBRARY_CHANNEL}/", "js_json", colid=29999)
        s.library = lib
        s.columns.append(lib)
        s.district.columns.append(lib)
        for key, name, colid, kind, children in cat.PORTAL_COLUMNS:
            col = Column(key, name, None, "portal", kind, f"/col/col{colid}/index.html",
                         "datastore" if kind else "hub", colid=colid)
            s.portal.append(col)
            s.columns.append(col)
            for ckey, cname, ccolid, ckind, _ in children or []:
                child = Column(ckey, cname, None, "portal", ckind, f"/col/col{ccolid}/index.html", "datastore",
                               parent=col, colid=ccolid)
                col.children.append(child)
                s.columns.append(child)

    # ----------------------------------------------------------------- documents
    def unique_title(self, make) -> str:
        for _ in range(50):
            t = make()
            if t not in self.titles:
                self.titles.add(t)
                return t
        n = 2
        while f"{t}（{n}）" in self.titles:
            n += 1
        self.titles.add(f"{t}（{n}）")
        return f"{t}（{n}）"

    def dates(self, kind: str, n: int) -> list[dt.date]:
        lo, hi, span = RECENCY[kind]
        newest = self.as_of - dt.timedelta(days=self.rng.randint(lo, hi))
        out = [newest] + [newest - dt.timedelta(days=self.rng.randint(0, span)) for _ in range(n - 1)]
        return sorted(out, reverse=True)

    def count(self, kind: str) -> int:
        if kind in FIXED:
            return FIXED[kind]
        return max(1, round(BULK[kind] * self.factor))

    def new_doc(self, col: Column, kind: str, title: str, publish: dt.date, **kw) -> Doc:
        rng = self.rng
        when = publish + dt.timedelta(days=rng.randint(1, 3))
        if when > self.as_of:
            when = publish - dt.timedelta(days=rng.randint(1, 40))
        etime = entry_time(when, rng)
        oid = object_id(rng, etime)
        if col.section == "portal":
            self.artid += rng.randint(3, 40)
            path = f"/art/{publish.year}/{publish.month}/{publish.day}/art_{col.colid}_{self.artid}.html"
            doc = Doc(oid, None, path, title, kind, publish, col, template="portal", entry_time=etime, **kw)
        else:
            unit = col.unit
            chan = col.path.rstrip("/")
            doc = Doc(oid, unit, f"{chan}/doc_{oid}.html", title, kind, publish, col, entry_time=etime,
                      issuer=kw.pop("issuer", unit.full_name), **kw)
        doc.subject = rng.choice(text.SUBJECTS)
        doc.columns.append(col)
        self.site.docs.append(doc)
        return doc

    def fill_column(self, col: Column):
        if col.kind in ("aggregate", "library", "interp", "consult", "feedback", "catalog", "report"):
            return
        for d in self.dates(col.kind, self.count(col.kind)):
            self.make_doc(col, d)

    def make_doc(self, col: Column, d: dt.date) -> Doc | None:
        """One document of the column's kind published on ``d``."""
        kind, unit, rng = col.kind, col.unit, self.rng
        if kind in POLICY_KINDS:
            issuer = {"policy_gov": cat.DISTRICT_FULL, "policy_office": "济南市章丘区人民政府办公室"}.get(
                kind, unit.full_name)
            if kind == "policy_norm":
                issuer = rng.choice([cat.DISTRICT_FULL, "济南市章丘区人民政府办公室", "济南市章丘区教育和体育局",
                                     "济南市章丘区民政局", "济南市章丘区住房和城乡建设局"])
            title = self.unique_title(lambda: text.policy_title(rng, issuer, d.year)[0])
            doc = self.new_doc(col, kind, title, d, issuer=issuer)
            doc.written = d - dt.timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 6]))
            if kind == "policy_norm":
                doc.body["valid_until"] = doc.written + relativedelta(years=5) - dt.timedelta(days=1)
                doc.body["effective"] = doc.written + dt.timedelta(days=30)
            if rng.random() < 0.35:
                for i in range(rng.randint(1, 2)):
                    ext = rng.choice(["pdf", "pdf", "docx"])
                    path = f"{doc.path[:-5]}_{rng.getrandbits(128):032x}.{ext}"
                    self.site.files[path] = path.rsplit("/", 1)[1]
                    label = rng.choice(["明细表", "实施细则", "申报指南"])
                    doc.attachments.append((path, f"附件{i + 1}：{text.topic_of(title)}{label}.{ext}"))
            return doc
        if kind in ("news", "portal_news", "portal_dept", "portal_town"):
            who = {"portal_news": "章丘区",
                   "portal_dept": rng.choice([u.name for u in self.site.units if u.kind == "department"]),
                   "portal_town": rng.choice([u.name for u in self.site.units if u.kind == "town"])}
            title = self.unique_title(lambda: text.news_title(rng, who.get(kind, unit.name if unit else "章丘区")))
            return self.new_doc(col, kind, title, d)
        if kind == "portal_covid":
            d = dt.date(2020, 2, 3) + dt.timedelta(days=rng.randint(0, 900))
            title = self.unique_title(lambda: "章丘区新冠肺炎疫情防控" + rng.choice(
                ["工作通报", "温馨提示", "有关事项的通告", "最新情况", "指挥部通告"]) + f"（第{rng.randint(1, 90)}号）")
            return self.new_doc(col, kind, title, d)
        if kind in ("notice", "portal_notice"):
            title = self.unique_title(lambda: (unit.name if unit else "章丘区") + text.notice_title(rng, d.year))
            return self.new_doc(col, kind, title, d)
        titles = {
            "plan": lambda: f"{unit.name}{rng.choice(text.TOPICS)}"
                            f"{rng.choice(['“十四五”规划', '专项规划', '年度工作计划', '中长期发展规划'])}",
            "personnel": lambda: f"{unit.full_name}{d.year}年" + rng.choice(
                ["公开招聘工作人员公告", "事业单位公开招聘拟聘用人员公示", "干部任前公示", "人员调整情况公示"]),
            "budget": lambda: f"{unit.full_name}{d.year - rng.choice([0, 1])}年" + rng.choice(
                ["部门预算公开", "部门决算公开", "“三公”经费预算情况说明", "预算绩效自评报告"]),
            "stats": lambda: f"{unit.name}{d.year}年{rng.randint(1, 12)}月" + rng.choice(
                ["主要统计数据", "安全生产统计分析", "数据资源统计情况"]),
            "relief": lambda: f"{unit.name}{d.year}年{rng.randint(1, 12)}月" + rng.choice(
                ["城乡低保金发放情况公示", "特困人员救助供养情况公示", "临时救助情况公示"]),
            "land": lambda: f"章丘区{d.year}年第{rng.randint(1, 30)}批次城镇建设用地" + rng.choice(
                ["征收土地预公告", "征地补偿安置方案公告", "土地征收启动公告"]),
        }
        if kind in titles:
            return self.new_doc(col, kind, self.unique_title(titles[kind]), d)
        once = {"guide": ["政府信息公开指南"], "rules": ["政府信息公开工作制度", "政府信息公开保密审查制度"], "org": ["机构职能"]}
        for t in once[kind]:
            if f"{unit.full_name}{t}" not in self.titles:
                self.titles.add(f"{unit.full_name}{t}")
                return self.new_doc(col, kind, f"{unit.full_name}{t}", d)
        return None

    def fill_reports(self, col: Column):
        unit, y = col.unit, self.as_of.year
        for year in range(y - 3, y):
            month = 3 if unit.kind == "district" else 1
            pub = dt.date(year + 1, month, self.rng.randint(8, 26))
            if pub <= self.as_of:
                doc = self.new_doc(col, "report", f"{unit.full_name}{year}年政府信息公开工作年度报告", pub)
                doc.body["report_year"] = year

    def fill_decisions(self):
        s, rng, y = self.site, self.rng, self.as_of.year
        for year in range(y - 2, y + 1):
            pub = dt.date(year, 3, rng.randint(2, 28))
            if pub <= self.as_of:
                self.new_doc(s.column(cat.DISTRICT, "jcml"), "catalog", f"章丘区{year}年度重大行政决策事项目录", pub)
        consult_col, feedback_col = s.column(cat.DISTRICT, "yjzj"), s.column(cat.DISTRICT, "yjfk")
        for i in range(max(4, round(4 * self.factor ** 0.5))):
            pub = self.as_of - dt.timedelta(days=rng.randint(90, 900))
            topic = rng.choice(text.TOPICS)
            title = self.unique_title(lambda: f"关于公开征求《章丘区{rng.choice(text.TOPICS)}管理办法（征求意见稿）》意见的公告")
            c = self.new_doc(consult_col, "consult", title, pub)
            c.body["consult"] = (pub, pub + dt.timedelta(days=30))
            draft = title[title.index("《") + 1:title.index("》")]
            fb = self.new_doc(feedback_col, "feedback", f"《{draft}》公开征求意见采纳情况的反馈",
                              pub + dt.timedelta(days=rng.randint(40, 60)))
            fb.body["consult_doc"] = c
            c.body["feedback_doc"] = fb
            del topic

    def interpret(self, doc: Doc, col: Column, lag_days: int = 0, prefix: str | None = None) -> Doc:
        rng = self.rng
        prefix = prefix or rng.choice(["《{t}》政策解读", "文字解读：《{t}》", "图解：《{t}》", "一图读懂《{t}》",
                                       "《{t}》政策问答"])
        title = prefix.format(t=doc.title)
        self.titles.add(title)
        jd = self.new_doc(col, "interp", title, doc.publish + dt.timedelta(days=lag_days))
        doc.interp_links.append(jd)
        jd.original_links.append(doc)
        return jd

    def build_docs(self):
        s = self.site
        for col in s.columns:
            if col.leaf and col.kind:
                self.fill_column(col)
                if col.kind == "report":
                    self.fill_reports(col)
        self.fill_decisions()
        # 解读: every document that must be interpreted gets one, published the same day.
        zcjd = s.column(cat.DISTRICT, "zcjd")
        for doc in list(s.docs):
            if doc.kind in ("policy_gov", "policy_office", "policy_norm"):
                self.interpret(doc, zcjd)
        for u in s.units:
            if u.name in cat.WITH_INTERP:
                col = s.column(u.name, "zcjd")
                own = sorted((d for d in s.docs if d.home is s.column(u.name, "bmwj")), key=lambda d: d.publish,
                             reverse=True)
                for i, doc in enumerate(own):
                    if i % 2 == 0:
                        self.interpret(doc, col)

    def aggregate(self):
        s = self.site
        bmwj = s.column(cat.DISTRICT, "bmwj")
        for doc in s.docs:
            if doc.kind in POLICY_KINDS:
                doc.columns.append(s.library)
            if doc.kind == "policy_dept" and doc.unit.kind == "department":
                doc.columns.append(bmwj)

    # ----------------------------------------------------------------- numbering
    def number_docs(self):
        self.seq: dict = {}
        self.index_serial = 4260000
        for doc in sorted(self.site.docs, key=lambda d: (d.written or d.publish, d.oid)):
            self.number_doc(doc)
        for doc in sorted(self.site.docs, key=lambda d: (d.publish, d.oid)):
            self.index_doc(doc)

    def number_doc(self, doc: Doc):
        if doc.kind not in POLICY_KINDS:
            return
        code = {"policy_gov": "章政发", "policy_office": "章政办发"}.get(doc.kind)
        if doc.kind == "policy_norm":
            code = {cat.DISTRICT_FULL: "章政发", "济南市章丘区人民政府办公室": "章政办发"}.get(
                doc.issuer, "章" + {"济南市章丘区教育和体育局": "教体", "济南市章丘区民政局": "民",
                                    "济南市章丘区住房和城乡建设局": "住建"}.get(doc.issuer, "") + "规")
        code = doc.body.get("code") or code or doc.unit.prefix
        key = (code, doc.written.year)
        self.seq[key] = self.seq.get(key, 0) + self.rng.randint(1, 4)
        doc.number = f"{code}〔{doc.written.year}〕{self.seq[key]}号"

    def index_doc(self, doc: Doc):
        if doc.home.section == "gongkai":
            self.index_serial += self.rng.randint(1, 60)
            owner = doc.unit or self.site.district
            doc.body["index_no"] = f"{owner.uscc}/{doc.publish.year}-{self.index_serial}"

    # ----------------------------------------------------------------- fields shown
    def show_fields(self, docs=None):
        for doc in docs if docs is not None else self.site.docs:
            if doc.template == "portal":
                doc.fields = {"发布日期": doc.publish.isoformat()}
                continue
            policy = doc.kind in POLICY_KINDS
            values = {
                "索引号": doc.body["index_no"],
                "主题分类": doc.subject,
                "发文机关": doc.issuer,
                "发文字号": doc.number or "",
                "成文日期": doc.written.isoformat() if doc.written else "",
                "发布日期": doc.publish.isoformat(),
                "有效性": "有效",
            }
            names = cat.POLICY_FIELDS if policy else cat.BASIC_FIELDS
            doc.body["truth"] = values
            doc.fields = {k: values[k] for k in names}

    def fresh_doc(self, col: Column, day: dt.date) -> Doc | None:
        """A document added after the base site was built (a later generation)."""
        doc = self.make_doc(col, day)
        if doc is not None:
            self.number_doc(doc)
            self.index_doc(doc)
            self.show_fields([doc])
        return doc

    def build(self, plant: bool = True) -> Site:
        self.build_units()
        self.build_columns()
        self.build_docs()
        self.aggregate()
        if plant:
            plant_dates(self)
        self.number_docs()
        self.show_fields()
        if plant:
            plant_fields(self)
            plant_files(self._planter)
        self.finish()
        for step in range(1, self.site.mutation + 1):
            mutate(self, step)
            self.finish()
        return self.site

    def finish(self):
        """List entries from the documents' column memberships, newest first."""
        s = self.site
        for col in s.columns:
            col.entries = []
        for doc in s.docs:
            for col in doc.columns:
                col.entries.append(Entry(doc.path, doc.title, doc.publish, doc))
        for col in s.columns:
            extra = getattr(col, "_extra_entries", [])
            col.entries.extend(extra)
            if col.undated:
                for e in col.entries:
                    e.date = None
            col.entries.sort(key=lambda e: (e.date or (e.doc.publish if e.doc else dt.date.min), e.path),
                             reverse=True)


def build_site(seed: int = 2023, size="small", as_of: dt.date | None = None, mutation: int = 0) -> Site:
    return Builder(seed, size, as_of or dt.date.today(), mutation).build()


def page_count(n: int, size: int) -> int:
    return max(1, math.ceil(n / size))
