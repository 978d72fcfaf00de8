"""Planted defects and traps.

Planting only edits the site model; the manifest's defect list is then derived from the
model by the audit semantics (``sitesim.manifest.Oracle``), so what is recorded is exactly
what is served.  Traps (things that must NOT be flagged) are recorded here.

Two phases: ``plant_dates`` runs before 文号/索引号 are assigned (it moves dates, removes and
adds documents); ``plant_fields`` runs on the displayed fields.
"""
from __future__ import annotations

import datetime as dt
import random

from dateutil.relativedelta import relativedelta

from sitesim import catalog as cat, veto
from sitesim.calendar import add_workdays, covered, is_workday, workdays_between
from sitesim.ids import USCC_CHARSET
from sitesim.model import Column, Doc, Entry

D = cat.DISTRICT
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(area: str, birth: dt.date, seq: int) -> str:
    """A 身份证号 with a valid GB 11643 check character."""
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


class Planter:
    def __init__(self, builder):
        self.b = builder
        self.s = builder.site
        self.as_of = builder.as_of
        self.rng = random.Random(f"sitesim:{self.s.seed}:plant")
        self.touched: set = set()

    # ------------------------------------------------------------------ helpers
    def col(self, unit: str | None, key: str) -> Column:
        if unit is None:
            return next(c for c in self.s.columns if c.section == "portal" and c.key == key)
        return self.s.column(unit, key)

    def docs_of(self, col: Column) -> list[Doc]:
        return sorted((d for d in self.s.docs if d.home is col), key=lambda d: (d.publish, d.path), reverse=True)

    def pick(self, unit, key, pred=None, newest_ok=False, prefer=None) -> Doc:
        docs = self.docs_of(self.col(unit, key))
        pool = [d for d in (docs if newest_ok else docs[1:]) if d not in self.touched and (pred is None or pred(d))]
        if not pool:
            pool = [d for d in docs if d not in self.touched and (pred is None or pred(d))]
        if prefer is not None and any(prefer(d) for d in pool):
            pool = [d for d in pool if prefer(d)]
        doc = self.rng.choice(pool)
        self.touched.add(doc)
        return doc

    def trap(self, kind: str, path: str, note: str):
        self.s.traps.append({"kind": kind, "path": path, "note": note})

    def remove(self, doc: Doc):
        self.s.docs.remove(doc)
        for other in self.s.docs:
            if doc in other.interp_links:
                other.interp_links.remove(doc)
            if doc in other.original_links:
                other.original_links.remove(doc)

    def shift(self, col: Column, newest: dt.date):
        docs = self.docs_of(col)
        delta = docs[0].publish - newest
        for doc in docs:
            self.move(doc, doc.publish - delta)

    def move(self, doc: Doc, day: dt.date):
        delta = doc.publish - day
        doc.publish = day
        if doc.written:
            doc.written -= delta
        for key in ("valid_until", "effective"):
            if key in doc.body:
                doc.body[key] -= delta
        for jd in doc.interp_links:
            jd.publish -= delta
        if doc.template == "portal":
            art = doc.path.rsplit("/", 1)[1]
            doc.path = f"/art/{day.year}/{day.month}/{day.day}/{art}"

    def dead_gongkai_doc(self, col: Column) -> str:
        return f"{col.path}doc_{self.rng.getrandbits(96):024x}.html"

    # ------------------------------------------------------------------ columns
    def columns(self):
        for unit, key, placeholder in [(D, "zdxx", None), ("区大数据局", "ghxx", "暂无信息"), ("区司法局", "rsxx", "正在建设中"),
                                       ("双山街道", "czyjs", None), ("区应急局", "tjxx", "暂无数据"), ("圣井街道", "zdxx", None),
                                       ("区工信局", "ghxx", "暂无信息"), ("区发改局", "rsxx", None)]:
            col = self.col(unit, key)
            for doc in self.docs_of(col):
                self.remove(doc)
            col.placeholder = placeholder
        # A column whose page is a soft 404 (200, 页面不存在): a broken link, not an empty column.
        col = self.col("区司法局", "czyjs")
        for doc in self.docs_of(col):
            self.remove(doc)
        self.s.special[col.path] = ("soft404", "栏目页面不存在")
        a = self.as_of
        for unit, key, newest in [(None, "zjdt", a - dt.timedelta(days=25)), ("区住建局", "tzgg", a - relativedelta(months=8)),
                                  ("区文旅局", "gzdt", a - dt.timedelta(days=40)), ("区卫健局", "rsxx", a - relativedelta(months=16)),
                                  ("龙山街道", "ghxx", a - relativedelta(months=20)),
                                  ("区自然资源局", "bmwj", a - relativedelta(months=9)),
                                  ("区应急局", "tzgg", a - relativedelta(months=10)),
                                  ("白云湖街道", "tzgg", a - relativedelta(months=7))]:
            self.shift(self.col(unit, key), newest)
        self.col("区应急局", "tzgg").undated = True
        for unit, key, newest, note in [
                (None, "bmdt", a - dt.timedelta(days=13), "动态类栏目最新信息为 13 天前，仍在两周内"),
                ("区教体局", "tzgg", a - relativedelta(months=5, days=25), "通知公告栏目最新信息为 5 个月 25 天前，仍在半年内"),
                ("区市场监管局", "rsxx", a - relativedelta(months=11, days=20), "人事类栏目最新信息为 11 个月 20 天前，仍在一年内")]:
            col = self.col(unit, key)
            self.shift(col, newest)
            self.trap("fresh_column_edge", col.path, note)
        # A 法定 column that holds only a 情况说明, dated within its window.
        col = self.col("区财政局", "rsxx")
        for doc in self.docs_of(col):
            self.remove(doc)
        day = a - dt.timedelta(days=self.rng.randint(30, 90))
        note = self.b.new_doc(col, "notice", f"关于{a.year}年度人事信息公开的情况说明", day)
        self.touched.add(note)
        self.trap("explanation_only", col.path, "栏目仅有一条情况说明（本年度无人事任免事项），不属空白栏目")
        topic = self.col(None, "yqfk")
        self.trap("historical_topic", topic.path, "历史专题栏目，信息均为 2020—2022 年，不设更新周期")

    # ------------------------------------------------------------------ 解读
    def interp_pool(self, unit, key):
        return lambda d: d.interp_links and all(d in j.original_links for j in d.interp_links)

    def interpretations(self):
        s, rng, a = self.s, self.rng, self.as_of
        ok = self.interp_pool(D, "qzfwj")
        for key in ("qzfwj", "qzfwj", "qzfbwj", "gfxwj"):
            doc = self.pick(D, key, ok)
            for jd in list(doc.interp_links):
                self.remove(jd)
        # A 解读 exists but its title does not quote the document: still not interpreted.
        doc = self.pick(D, "qzfwj", ok)
        jd = doc.interp_links[0]
        doc.interp_links.clear()
        jd.original_links.clear()
        jd.title = f"一图读懂：章丘区{rng.choice(['稳经济', '惠民生', '优环境', '促发展'])}新政要点（{doc.publish:%Y年%m月}）"
        self.touched.add(jd)
        # Trap: no links either way, but the 解读's title quotes the full title in 《》.
        doc = self.pick(D, "qzfbwj", ok)
        jd = doc.interp_links[0]
        doc.interp_links.clear()
        jd.original_links.clear()
        self.trap("interpretation_by_title", doc.path, "未互链，但政策解读栏目中有标题含《全称》的解读")
        for unit, key in [(D, "qzfwj"), (D, "qzfbwj"), (D, "gfxwj"), ("区教体局", "bmwj")]:
            doc = self.pick(unit, key, self.interp_pool(unit, key))
            doc.interp_links[0].original_links.remove(doc)
        for unit, key in [(D, "qzfbwj"), ("明水街道", "bmwj")]:
            doc = self.pick(unit, key, self.interp_pool(unit, key))
            doc.interp_links.clear()
        for unit, key in [(D, "qzfwj"), (D, "qzfbwj"), (D, "gfxwj"), ("区人社局", "bmwj")]:
            doc = self.pick(unit, key, lambda d: self.interp_pool(0, 0)(d) and d.publish <= a - dt.timedelta(days=40))
            jd = doc.interp_links[0]
            jd.publish = doc.publish + dt.timedelta(days=rng.randint(12, 20))
            while jd.publish <= add_workdays(doc.publish, 6):     # a long holiday in between: clearly late still
                jd.publish += dt.timedelta(days=1)
        # Trap: the 解读 appears exactly 3 working days later, across a weekend or holiday.
        doc = self.pick(D, "qzfbwj", self.interp_pool(0, 0))
        day = self.three_workday_gap()
        self.move(doc, day)
        doc.interp_links[0].publish = add_workdays(day, 3)
        self.trap("interpretation_3_workdays", doc.path,
                  f"文件 {day} 发布，解读 {add_workdays(day, 3)} 发布：恰为 3 个工作日（跨周末/节假日），不属发布不及时")
        # Trap: documents excluded from interpretation (转发 / 任免).
        col = self.col(D, "qzfwj")
        for title, code in [(f"济南市章丘区人民政府关于转发济政发〔{a.year}〕{rng.randint(2, 30)}号文件的通知", "章政发"),
                            (f"济南市章丘区人民政府关于{rng.choice('王李张刘陈')}某某等同志职务任免的通知", "章政任")]:
            day = a - dt.timedelta(days=rng.randint(20, 150))
            doc = self.b.new_doc(col, "policy_gov", title, day, issuer=cat.DISTRICT_FULL)
            doc.written = day
            doc.body["code"] = code
            doc.columns.append(s.library)
            self.touched.add(doc)
            self.trap("exempt_from_interpretation", doc.path, "转发、任免类文件无需解读")

    def three_workday_gap(self) -> dt.date:
        """A working day whose 3rd following working day is ≥ 6 calendar days later (a holiday in between),
        else ≥ 5 (a weekend); searched 40–400 days back."""
        best = None
        for back in range(40, 400):
            day = self.as_of - dt.timedelta(days=back)
            if not is_workday(day) or not covered(day):
                continue
            gap = (add_workdays(day, 3) - day).days
            if gap >= 6:
                return day
            if gap >= 5 and best is None:
                best = day
        return best or self.as_of - dt.timedelta(days=60)

    # ------------------------------------------------------------------ other duties (dates)
    def duties(self):
        s, rng, a = self.s, self.rng, self.as_of
        # One document listed in two columns of its unit (counted once; strictest requirement).
        doc = self.pick("区市场监管局", "bmwj")
        doc.columns.append(self.col("区市场监管局", "tzgg"))
        self.s.counters["listed_twice"] = doc
        self.trap("listed_twice", doc.path, "同一文件列于部门文件和通知公告两个栏目，只应计一次")
        for unit in ("区市场监管局", "明水街道"):
            doc = self.pick(unit, "bmwj", lambda d: not d.interp_links and not d.original_links)
            doc.written = doc.publish - dt.timedelta(days=rng.randint(45, 60))
            while workdays_between(doc.written, doc.publish) <= 26:
                doc.written -= dt.timedelta(days=1)
        consults = sorted((d for d in s.docs if d.kind == "consult"), key=lambda d: d.path)
        start = consults[0].body["consult"][0]
        consults[0].body["consult"] = (start, start + dt.timedelta(days=15))
        fb = consults[1].body.pop("feedback_doc")
        consults[1].body["feedback_doc"] = None
        self.remove(fb)
        # 年报: one unit lacks last year's, one published it late (after 1月31日).
        prev = a.year - 1
        for doc in list(self.docs_of(self.col("区应急局", "nb"))):
            if doc.body.get("report_year") == prev:
                self.remove(doc)
        for doc in list(self.docs_of(self.col("圣井街道", "nb"))):
            if doc.body.get("report_year") == prev:
                late = dt.date(a.year, 2, 20)
                if late <= a:
                    self.move(doc, late)
                else:
                    self.remove(doc)
        # An expired 规范性文件 still marked 有效, and (trap) one correctly marked 失效.
        for marker in ("有效", "失效"):
            doc = self.pick(D, "gfxwj", prefer=lambda d: not any(ch.isdigit() for ch in d.title))
            written = a - dt.timedelta(days=rng.randint(800, 1000))
            self.move(doc, written + dt.timedelta(days=2))
            doc.written = written
            doc.body["effective"] = written + dt.timedelta(days=10)
            doc.body["valid_until"] = written + relativedelta(years=2)
            doc.body["marker"] = marker
            if marker == "失效":
                self.trap("expired_marked_invalid", doc.path, "有效期已过且已标注失效")

    # ------------------------------------------------------------------ links
    def links(self):
        s, rng = self.s, self.rng
        hexid = lambda: f"{rng.getrandbits(128):032x}"  # noqa: E731
        doc = self.pick("区财政局", "bmwj")
        doc.attachments.append((f"/module/download/downfile.jsp?classid=0&filename={hexid()}.pdf", "附件1：项目资金分配表.pdf"))
        doc = self.pick("区教体局", "tzgg")
        doc.attachments.append((f"{doc.path[:-5]}_{hexid()}.pdf", "附件：报名登记表.pdf"))
        doc = self.pick("区卫健局", "tzgg")
        doc.attachments.append((f"/module/download/downfile.jsp?classid=0&filename={hexid()}.docx", "附件：申请表.docx"))
        doc.body["attach_first"] = True
        doc = self.pick(None, "zqyw")
        doc.extra_links.append(("/art/2021/5/8/art_73496_4700123.html", "章丘区召开全区重点项目建设推进会"))
        doc = self.pick(D, "qzfwj")
        doc.extra_links.append((self.dead_gongkai_doc(doc.home), "济南市政府门户网站转载稿"))
        col = self.col("区民政局", "tzgg")
        docs = self.docs_of(col)
        day = docs[-1].publish if docs else self.as_of - dt.timedelta(days=400)
        col._extra_entries = [Entry(self.dead_gongkai_doc(col), "区民政局关于调整城乡低保标准的通知", day)]
        doc = self.pick(None, "tzgg")
        target = f"/module/xxgk/xxgkAnnualReport.jsp?area={s.district.uscc}&fbtime={self.as_of.year - 1}"
        doc.extra_links.append((target, "政府信息公开工作年度报告查询"))
        s.special[target] = (500, "server error")
        s.homepage_links.append(("/col/col73999/index.html", "营商环境专栏"))
        doc = self.pick(None, "zqyw")
        doc.images.append((f"/picture/0/{hexid()}.jpg", "活动现场"))
        doc = self.pick("区发改局", "bmwj")
        doc.extra_links.append(("/art/2020/6/1/art_73499_4600001.html", "已撤销的旧版通知"))
        s.special["/art/2020/6/1/art_73499_4600001.html"] = (410, "gone")
        s.homepage_links.append(("/zwfw/", "政务服务"))
        s.special["/zwfw/"] = (403, "forbidden")
        doc = self.pick("区住建局", "bmwj")
        doc.extra_links.append(("/interact/consult.jsp", "在线咨询"))
        s.special["/interact/consult.jsp"] = (429, "too many requests")
        # Pictures: most with alt text, two without (accessibility).
        for i, alt in enumerate(["会议现场", "活动现场", "调研现场", None, None]):
            doc = self.pick(None, "zqyw" if i % 2 == 0 else "bmdt")
            src = f"/picture/0/{hexid()}.jpg"
            s.files[src] = "photo.jpg"
            doc.images.append((src, alt))
        s.counters["identity_missing"] = ("ghb",)
        self.trap("robots_disallowed_link", "/hudong/index.html", "robots.txt 禁止抓取的路径，首页有链接指向，不得请求")

    # ------------------------------------------------------------------ phase 2: fields shown
    def fields(self):
        s, rng = self.s, self.rng

        def edit(unit, key, field, value=None, pred=None):
            doc = self.pick(unit, key, pred)
            if value is None:
                doc.fields.pop(field, None)
            else:
                doc.fields[field] = value
            return doc

        edit(D, "qzfwj", "成文日期")
        edit(D, "qzfbwj", "有效性", "")
        edit(D, "gfxwj", "有效性")
        edit("区教体局", "bmwj", "主题分类")
        edit("区发改局", "bmwj", "发文字号")
        edit("区卫健局", "tzgg", "发文机关")
        doc = edit("明水街道", "tzgg", "索引号", "")
        doc.body["nbsp"] = {"索引号"}
        edit("区民政局", "shjz", "发布日期")
        edit("区自然资源局", "zdxx", "发文机关", "")
        twice = s.counters.pop("listed_twice")
        twice.fields.pop("成文日期")
        for unit, key in [("区住建局", "tzgg"), ("区人社局", "bmwj")]:
            doc = self.pick(unit, key, lambda d: not d.original_links)
            doc.template = "B"
            doc.fields = {"发布日期": doc.fields["发布日期"]}
            doc.body["date_label"] = "时间" if unit == "区人社局" else "发布日期"   # a bare 时间： date line
        y = self.as_of.year

        def renumber(unit, key, fmt):
            doc = self.pick(unit, key, lambda d: d.number and d.written)
            code, rest = doc.number.split("〔", 1)
            year, num = rest.split("〕")
            doc.fields["发文字号"] = fmt.format(code=code, year=year, yy=year[2:], num=num.rstrip("号"))
            doc.number = doc.fields["发文字号"]

        renumber(D, "qzfbwj", "{code}[{year}]{num}号")
        renumber("区教体局", "bmwj", "{code}（{year}）{num}号")
        renumber("区财政局", "bmwj", "{code}〔{yy}〕{num}号")
        renumber("区工信局", "bmwj", "{code}〔{year}〕0{num}号")
        renumber(D, "qzfwj", "{code}〔{year}〕第{num}号")
        doc = self.pick("区司法局", "bmwj", lambda d: (d.publish + dt.timedelta(days=5)).year == d.written.year)
        doc.fields["成文日期"] = (doc.publish + dt.timedelta(days=5)).isoformat()
        doc = self.pick("区大数据局", "bmwj")
        doc.fields["发布日期"] = f"{doc.publish.year}年13月{doc.publish.day:02d}日"
        doc = self.pick("区文旅局", "bmwj")
        doc.fields["成文日期"] = f"{doc.written.year}-02-30"
        doc = self.pick("区政府办公室", "bmwj")
        doc.fields["索引号"] = "1137018100420588XX-A/" + doc.fields["索引号"].split("/", 1)[1]
        doc = self.pick("区住建局", "bmwj")
        doc.fields["索引号"] = f"370181-ZJJ-{doc.publish.year}-{rng.randint(10, 99):05d}"
        doc = self.pick("双山街道", "bmwj")
        uscc, rest = doc.fields["索引号"].split("/", 1)
        wrong = USCC_CHARSET[(USCC_CHARSET.index(uscc[17]) + 7) % 31]
        doc.fields["索引号"] = f"{uscc[:17]}{wrong}/{rest}"
        docs = [d for d in self.docs_of(self.col("龙山街道", "tzgg")) if d not in self.touched]
        later, earlier = docs[1], next(d for d in docs[2:] if d.publish < docs[1].publish)
        later.fields["索引号"] = earlier.fields["索引号"]
        self.touched.update((later, earlier))
        # Traps: non-policy documents without 文号 (one shows the label with no value).
        doc = self.pick("区财政局", "tzgg")
        doc.fields = {k: doc.fields[k] for k in ("索引号", "主题分类", "发文机关")} | {"发文字号": ""} | {
            k: doc.fields[k] for k in ("发布日期",)}
        self.trap("non_policy_without_number", doc.path, "非政策文件显示空的发文字号，不要求发文字号")
        doc = self.pick("区民政局", "tzgg")
        self.trap("non_policy_without_number", doc.path, "非政策文件不显示发文字号，不属要素缺失")
        for doc in s.docs:
            if doc.body.get("marker"):
                doc.fields["有效性"] = doc.body["marker"]
        # Privacy: one 公示 leaks a full 身份证号 and mobile number; the others mask them (trap).
        doc = self.pick("明水街道", "shjz")
        birth = dt.date(1950 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28))
        doc.body["leak"] = {"name": "李某某", "id": id_number(cat.AREA_CODE, birth, rng.randint(100, 998)),
                            "mobile": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"}
        doc = self.pick("双山街道", "shjz")
        self.trap("masked_personal_data", doc.path, "身份证号、手机号已脱敏显示")
        # Duties stated in the body.
        self.pick("区司法局", "guide", newest_ok=True).body["guide_missing"] = ("传真",)
        self.pick("区大数据局", "nb", newest_ok=True).body["report_missing"] = ("五、存在的主要问题及改进情况",)
        # The GBK sub-site names people with characters outside GB2312.
        doc = self.pick("白云湖街道", "jgzn", newest_ok=True)
        doc.body["leaders"] = ["张喆", "王镕", "李堃"]
        self.trap("gbk_page", doc.path, "页面标注 gb2312，实为 GBK 编码（含 GB2312 以外的字符）")


def plant_dates(builder):
    p = Planter(builder)
    builder._planter = p
    p.columns()
    p.interpretations()
    p.duties()
    p.links()
    veto.plant(p)


def plant_fields(builder):
    builder._planter.fields()
