"""A synthetic snapshot of N documents, written straight into a snapshot DB (no crawl).

``python -m govaudit.benchdata --docs 100000 --db /tmp/synth.db`` prints the scan id.  For the
memory and time benchmark of the audit and report (``govaudit.benchmem``): crawling 10⁵
documents from the simulator would take most of an hour, the audit needs only the rows.

Deterministic for a seed and size.  The shapes follow a crawl of the large simulated site
(per document: 1.5 list items, 1.1 pages, 1.2 link targets, 10 link sources, head metas of ~15
keys, page facts of ~25 keys), but with the text lengths of real 政府信息公开 pages, which are
longer than the simulator's: news 600–1,500 characters, policy documents 2,000–8,000, 解读
1,000–3,000, annual reports ~8,000.  A small share of documents carries the defects the rules
look for (missing fields, bad dates, a 身份证号, dead links, missing 解读), so every rule works.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys

from sqlalchemy import insert

from govaudit.core import storage
from sitesim import text

HOST = "http://www.synth-county.gov.cn"
AS_OF = dt.date(2023, 11, 30)
# (column name, parent hub, kind of document, share of the documents)
COLUMNS = [
    ("工作动态", None, "news", 0.40), ("通知公告", None, "notice", 0.12),
    ("区政府文件", "政策文件", "policy", 0.08), ("区政府办公室文件", "政策文件", "policy", 0.06),
    ("行政规范性文件", "政策文件", "policy", 0.03), ("政策解读", None, "interp", 0.08),
    ("人事信息", None, "notice", 0.05), ("规划计划", None, "notice", 0.04), ("财政预决算", None, "notice", 0.05),
    ("意见征集", None, "consult", 0.03), ("意见反馈", None, "notice", 0.02), ("政府信息公开年报", None, "report", 0.02),
    ("政府信息公开指南", None, "guide", 0.02),
]
PARTS = {"news": text.NEWS_PARAS, "notice": text.PARAS, "policy": text.PARAS, "interp": text.INTERP_PARAS,
         "consult": text.PARAS, "report": text.PARAS, "guide": text.PARAS}
LENGTHS = {"news": (600, 1500), "notice": (400, 1500), "policy": (2000, 8000), "interp": (1000, 3000),
           "consult": (800, 2000), "report": (6000, 10000), "guide": (1200, 2000)}


def _id_number(rng: random.Random) -> str:
    """A 身份证号 with a valid GB 11643 check character."""
    body = f"370181{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _body(rng: random.Random, kind: str, title: str, unit: str) -> str:
    low, high = LENGTHS[kind]
    want, out = rng.randint(low, high), []
    topic = text.topic_of(title)
    if kind == "report":
        out += ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    if kind == "guide":
        out += ["办公地址：章丘区开先大道287号", "办公时间：周一至周五", "联系电话：0531-83000000", "传真：0531-83000001",
                "互联网联系方式：电子邮箱 zq@jn.shandong.cn"]
    if kind == "consult":
        out.append(f"征求意见时间为{AS_OF.year}年{rng.randint(1, 10)}月1日至{AS_OF.year}年{rng.randint(1, 10)}月30日。")
    if kind == "policy" and rng.random() < 0.3:
        out.append(f"本办法自{AS_OF.year - 3}年1月1日起施行，有效期至{AS_OF.year - rng.randint(0, 1)}年12月31日。")
    if rng.random() < 0.002:
        out.append(f"申请人：张某，身份证号{_id_number(rng)}。")
    bank = PARTS[kind]
    while sum(len(p) for p in out) < want:
        out.append(rng.choice(bank).format(t=topic, k="办法", u=unit, tel=rng.randint(100000, 999999)))
    return "\n".join(out)


def _facts(rng: random.Random, url: str, title: str, column: str) -> dict:
    missing_alt = 1 if rng.random() < 0.01 else 0
    return {"soft404_test": False, "title": f"章丘区人民政府 - {column} - {title}", "text_len": rng.randint(300, 8000),
            "digest": f"{rng.getrandbits(160):040x}", "final_url": url, "document_fields": 3, "related": [],
            "lang": "zh-CN", "imgs_total": rng.randint(0, 3), "imgs_without_alt": missing_alt,
            "imgs_without_alt_sample": [f"{HOST}/img/{rng.randint(1, 999)}.jpg"] if missing_alt else [],
            "controls_without_label": 0, "controls_without_label_sample": [], "accessibility_entry": True,
            "care_entry": True, "accessibility_entries": [{"text": "无障碍", "url": f"{HOST}/wza/"}],
            "care_entries": [{"text": "关怀版", "url": f"{HOST}/ghb/"}], "site_id_code": "3701810001",
            "icp": "鲁ICP备05001883号", "police_record": "鲁公网安备 37018102000123号",
            "metas": {"SiteName": "济南市章丘区人民政府", "SiteDomain": HOST + "/", "SiteIDCode": "3701810001",
                      "ColumnName": column, "ArticleTitle": title}, "metas_missing": [], "search_box": False}


class Writer:
    """Rows gathered per table and inserted 5,000 at a time."""

    def __init__(self, engine, scan_id: int):
        self.engine, self.scan_id, self.rows = engine, scan_id, {}

    def add(self, table, **row):
        batch = self.rows.setdefault(table, [])
        for c in table.columns:           # one executemany needs the same keys in every row
            if c.name not in row and c.name not in ("id", "scan_id"):
                row[c.name] = c.default.arg if c.default is not None and not callable(c.default.arg) else None
        batch.append({"scan_id": self.scan_id, **row})
        if len(batch) >= 5000:
            self.flush(table)

    def flush(self, table=None):
        for t in ([table] if table is not None else list(self.rows)):
            if self.rows.get(t):
                with self.engine.begin() as conn:
                    conn.execute(insert(t), self.rows[t])
                self.rows[t] = []


def generate(db: str, docs: int, seed: int = 2023, units: int | None = None) -> int:
    """Write a complete scan of ``docs`` documents into ``db``; return its id.  ``units``: the
    district and its departments (by default one per 800 documents, at least 2, as on the large
    simulated site; a real county has 50–130 whatever its number of documents)."""
    rng = random.Random(f"benchdata:{seed}:{docs}")
    engine = storage.connect(db)
    with engine.begin() as conn:
        scan_id = conn.execute(insert(storage.scan).values(
            site_name="济南市章丘区人民政府（合成）", start_url=HOST + "/", status="complete",
            started_at="2023-11-30T02:00:00+08:00", finished_at="2023-11-30T05:00:00+08:00",
            stats={"documents": docs, "synthetic": True})).inserted_primary_key[0]
    w = Writer(engine, scan_id)
    if units is None:
        groups = max(1, docs // 4000)
        units = max(2, min(1 + 5 * groups, 1 + docs // 800))
    else:
        groups = max(1, -(-(units - 1) // 5))      # five departments a group
    units = ([("章丘区人民政府", "district", None)] + [
        (f"区{name}{i}" if i else f"区{name}", "department", f"unit{i}{j}")
        for i in range(groups) for j, name in enumerate(["教体局", "卫健局", "民政局", "财政局", "自然资源局"])])[:units]
    home = HOST + "/"
    w.add(storage.column, url=home, name="首页", path="首页", section="homepage", kind="homepage", is_leaf=False,
          http_status=200, nav={"via": "scope"})
    w.add(storage.page, url=home, kind="homepage", status=200, facts=_facts(rng, home, "首页", "首页"))
    leaves = []                                       # (url, name, unit, kind, share)
    for u, (unit, kind, code) in enumerate(units):
        base = f"{HOST}/gongkai/site_{code or 'district'}"
        w.add(storage.unit, name=unit, kind=kind, code=code, home_url=base + "/")
        hubs = {}
        for c, (name, parent, doc_kind, share) in enumerate(COLUMNS):
            url = f"{base}/col/col{u * 100 + c}/index.html"
            if parent and parent not in hubs:
                hubs[parent] = f"{base}/col/hub{u * 100 + c}/index.html"
                w.add(storage.column, url=hubs[parent], name=parent, path=f"法定主动公开内容/{parent}", unit=unit,
                      section="gongkai", kind="hub", is_leaf=False, http_status=200, item_count=0,
                      nav={"via": "platform", "hub": base + "/"})
            w.add(storage.column, url=url, name=name, path=f"法定主动公开内容/{parent or name}/{name}",
                  parent_url=hubs.get(parent), unit=unit, section="gongkai", kind="list", is_leaf=True,
                  list_style="hanweb_datastore", http_status=200, nav={"via": "platform", "hub": base + "/"})
            leaves.append((url, name, unit, doc_kind, share / len(units)))
    weights = [leaf[4] for leaf in leaves]
    policies, serial, positions = [], 0, {}
    for i in range(docs):
        col_url, col_name, unit, kind, _ = rng.choices(leaves, weights)[0]
        day = AS_OF - dt.timedelta(days=int(rng.expovariate(1 / 300)))
        url = f"{HOST}/art/{day.year}/{day.month}/{day.day}/art_{i}.html"
        year = day.year
        if kind == "policy":
            title = text.policy_title(rng, unit, year)[0]
        elif kind == "news":
            title = text.news_title(rng, unit)
        elif kind == "interp":
            title = f"《{rng.choice(policies)[1]}》政策解读" if policies else "政策解读"
        elif kind == "report":
            title = f"{unit}{year - 1}年政府信息公开工作年度报告"
        elif kind == "guide":
            title = f"{unit}政府信息公开指南"
        elif kind == "consult":
            title = f"关于《章丘区{rng.choice(text.TOPICS)}办法（征求意见稿）》公开征求意见的公告"
        else:
            title = text.notice_title(rng, year)
        serial += 1
        fields = {"索引号": f"11370181004205062T/{year}-{serial:07d}", "发文机关": unit, "发布日期": day.isoformat()}
        if kind == "policy":
            written = day - dt.timedelta(days=rng.randint(0, 30))
            fields.update({"主题分类": rng.choice(text.SUBJECTS), "发文字号": f"章政办发〔{year}〕{serial % 200 + 1}号",
                           "成文日期": written.isoformat(), "有效性": "有效"})
            policies.append((url, title))
        if rng.random() < 0.01:
            fields.pop(rng.choice(sorted(fields)))
        if rng.random() < 0.005 and "发布日期" in fields:
            fields["发布日期"] = day.strftime("%Y/%m/%d")
        attachments = [{"url": f"{HOST}/files/{i}_{k}.pdf", "name": f"附件{k + 1}.pdf"}
                       for k in range(rng.choice([0] * 8 + [1, 2]))]
        metas = {"SiteName": "济南市章丘区人民政府", "SiteDomain": HOST + "/", "SiteIDCode": "3701810001",
                 "ColumnName": col_name, "ColumnType": unit, "ArticleTitle": title,
                 "PubDate": f"{day.isoformat()} 09:00:00", "ContentSource": unit, "Keywords": title[:10],
                 "Author": unit, "Description": title * 3, "Image": "", "Url": url}
        if rng.random() < 0.01:
            metas.pop("ColumnName")
        w.add(storage.document, url=url, final_url=url, http_status=200, title=title, unit=unit, column_url=col_url,
              fields=fields, fields_raw=[[k, v] for k, v in fields.items()], metas=metas,
              publish_date=day.isoformat(), written_date=fields.get("成文日期"),
              body_text=_body(rng, kind, title, unit), attachments=attachments, is_interpretation=kind == "interp",
              encoding="utf-8", content_hash=f"{rng.getrandbits(256):064x}", etag=f'"{serial:x}"',
              last_modified="Thu, 30 Nov 2023 01:00:00 GMT", fetched_at="2023-11-30T03:00:00+08:00")
        n = positions[col_url] = positions.get(col_url, 0) + 1
        page_url = col_url if n <= 20 else col_url.replace("index.html", f"index_{(n - 1) // 20 + 1}.html")
        w.add(storage.list_item, column_url=col_url, url=url, title=title, full_title=title, date=day.isoformat(),
              date_raw=day.isoformat(), page_url=page_url, position=n)
        if kind == "policy" and rng.random() < 0.5 and col_url != leaves[2][0]:    # also in the district's library
            w.add(storage.list_item, column_url=leaves[2][0], url=url, title=title, full_title=title,
                  date=day.isoformat(), date_raw=day.isoformat(), page_url=leaves[2][0], position=n)
        if kind == "interp" and policies and rng.random() < 0.9:
            w.add(storage.relation, src_url=rng.choice(policies)[0], dst_url=url, kind="interpretation", anchor="政策解读")
        w.add(storage.page, url=url, kind="document", status=200, size=rng.randint(8000, 40000),
              content_hash=f"{rng.getrandbits(256):064x}", encoding="utf-8", facts=_facts(rng, url, title, col_name),
              fetched_at="2023-11-30T03:00:00+08:00")
        dead = rng.random() < 0.003
        w.add(storage.link, url=url, status=404 if dead else 200, outcome="http_4xx" if dead else "ok",
              is_external=False, is_attachment=False, method="GET", checked_at="2023-11-30T04:00:00+08:00")
        for a in attachments:
            w.add(storage.link, url=a["url"], status=200, outcome="ok", is_attachment=True, method="HEAD",
                  checked_at="2023-11-30T04:00:00+08:00")
            w.add(storage.link_source, target_url=a["url"], source_url=url, anchor=a["name"], tag="attachment")
        w.add(storage.link_source, target_url=url, source_url=page_url, anchor=title[:30], tag="a")
        nav = {home, col_url} | {leaf[0] for leaf in rng.sample(leaves, min(7, len(leaves)))}
        for target in sorted(nav):
            w.add(storage.link_source, target_url=target, source_url=url, anchor="导航", tag="a", on_homepage=False)
    for url, *_ in leaves:
        w.add(storage.link, url=url, status=200, outcome="ok", method="GET", checked_at="2023-11-30T04:00:00+08:00")
        w.add(storage.page, url=url, kind="column", status=200, facts=_facts(rng, url, "栏目", "栏目"))
        w.add(storage.link_source, target_url=url, source_url=home, anchor="栏目", tag="a", on_homepage=True)
    w.flush()
    engine.dispose()
    return scan_id


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govaudit.benchdata", description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--db", required=True, help="SQLite path or SQLAlchemy URL (created if missing)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--units", type=int, default=None, help="units (default: one per 800 documents, at least 2)")
    args = ap.parse_args(argv)
    if args.units is not None and args.units < 1:
        ap.error("--units must be at least 1")
    print(generate(args.db, args.docs, args.seed, args.units))
    return 0


if __name__ == "__main__":
    sys.exit(main())
