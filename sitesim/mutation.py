"""Later generations of the same site, for month-over-month comparisons.

Generation k applies k steps to the base site.  Each step (seeded by seed and step) fixes about
a third of the defects then present, plants a few new ones, and publishes new documents.  The
manifest is derived afterwards, so it describes each generation exactly.
"""
from __future__ import annotations

import datetime as dt
import random

from sitesim import catalog as cat
from sitesim.manifest import CORE_CHECKS, Oracle

FIXABLE = CORE_CHECKS


def mutate(builder, step: int) -> None:
    site = builder.site
    rng = random.Random(f"sitesim:{site.seed}:mutation:{step}")
    docs = {d.path: d for d in site.docs}
    cols = {c.path: c for c in site.columns}
    current = [d for d in Oracle(site, "").run() if d["check"] in FIXABLE]
    current.sort(key=lambda d: (d["check"], d["url"], d["field"] or ""))
    fixed_urls = set()
    for d in rng.sample(current, len(current) // 3):
        if d["url"] in fixed_urls and d["check"] != "missing_element":
            continue
        fixed_urls.add(d["url"])
        fix(builder, d, docs, cols, rng)
    plant_new(builder, rng, step, fixed_urls)
    publish_new(builder, rng)


def fix(builder, defect: dict, docs: dict, cols: dict, rng: random.Random) -> None:
    site, as_of = builder.site, builder.as_of
    check, path, field = defect["check"], defect["url"], defect["field"]
    if check == "empty_column":
        col = cols[path]
        col.placeholder = None
        for back in (rng.randint(1, 5), rng.randint(6, 20)):
            builder.fresh_doc(col, as_of - dt.timedelta(days=back))
    elif check == "stale_column":
        col = cols[path]
        col.undated = False
        builder.fresh_doc(col, as_of - dt.timedelta(days=rng.randint(0, 3)))
    elif check in ("missing_element", "invalid_element"):
        doc = docs[path]
        if doc.template == "B":
            doc.template = "A"
            builder.show_fields([doc])
        truth = doc.body["truth"]
        if field == "发文字号" and doc.number and "〔" not in doc.number:
            doc.number = None
        doc.fields[field] = truth[field] if field != "发文字号" else (truth[field] or doc.number or "")
        if field == "发文字号" and not doc.fields[field]:
            builder.number_doc(doc)
            doc.fields[field] = doc.number
        doc.body.get("nbsp", set()).discard(field)
    elif check == "missing_interpretation":
        doc = docs[path]
        col = doc.unit.columns if doc.unit else site.district.columns
        zcjd = next(c for c in col if c.kind == "interp") if any(c.kind == "interp" for c in col) else \
            site.column(cat.DISTRICT, "zcjd")
        jd = builder.interpret(doc, zcjd)
        builder.index_doc(jd)
        builder.show_fields([jd])
    elif check == "interpretation_one_way":
        doc = docs[path]
        for jd in doc.interp_links:
            if doc not in jd.original_links:
                jd.original_links.append(doc)
        for jd in site.docs:
            if doc in jd.original_links and jd not in doc.interp_links:
                doc.interp_links.append(jd)
    elif check == "late_interpretation":
        doc = docs[path]
        for jd in set(doc.interp_links) | {j for j in site.docs if doc in j.original_links}:
            jd.publish = doc.publish
            if "发布日期" in jd.fields:
                jd.fields["发布日期"] = doc.fields.get("发布日期", doc.publish.isoformat())
    elif check == "broken_link":
        target = path
        site.homepage_links[:] = [x for x in site.homepage_links if x[0] != target]
        for doc in site.docs:
            doc.attachments[:] = [x for x in doc.attachments if x[0] != target]
            doc.extra_links[:] = [x for x in doc.extra_links if x[0] != target]
            doc.images[:] = [x for x in doc.images if x[0] != target]
        for col in site.columns:
            if getattr(col, "_extra_entries", None):
                col._extra_entries = [e for e in col._extra_entries if e.path != target]


def clean_docs(site, kinds, avoid) -> list:
    return sorted((d for d in site.docs if d.kind in kinds and d.path not in avoid and d.template == "A"
                   and not d.body.get("nbsp")), key=lambda d: d.path)


def plant_new(builder, rng: random.Random, step: int, avoid: set) -> None:
    site, as_of = builder.site, builder.as_of
    policy = clean_docs(site, {"policy_dept"}, avoid)
    policy = [d for d in policy if all(d.fields.get(k) == d.body["truth"].get(k) for k in d.fields)]
    for doc, field in zip(rng.sample(policy, 2), ("有效性", "主题分类")):
        doc.fields.pop(field, None)
    notices = clean_docs(site, {"notice"}, avoid)
    doc = rng.choice(notices)
    doc.attachments.append((f"{doc.path[:-5]}_{rng.getrandbits(128):032x}.pdf", "附件：登记表.pdf"))
    # A new district document, interpreted late (and its 解读 does not link back).
    col = site.column(cat.DISTRICT, "qzfbwj")
    doc = builder.fresh_doc(col, as_of - dt.timedelta(days=rng.randint(25, 35)))
    doc.columns.append(site.library)
    jd = builder.interpret(doc, site.column(cat.DISTRICT, "zcjd"), lag_days=rng.randint(15, 20))
    jd.original_links.clear()
    builder.index_doc(jd)
    builder.show_fields([jd])
    # A new 文号 typed with the wrong brackets.
    doc = builder.fresh_doc(site.column(cat.DISTRICT, "gfxwj"), as_of - dt.timedelta(days=rng.randint(4, 10)))
    doc.columns.append(site.library)
    doc.fields["发文字号"] = doc.number.replace("〔", "[").replace("〕", "]")
    jd = builder.interpret(doc, site.column(cat.DISTRICT, "zcjd"))
    builder.index_doc(jd)
    builder.show_fields([jd])
    del step


def publish_new(builder, rng: random.Random) -> None:
    site, as_of = builder.site, builder.as_of
    trap_paths = {t["path"] for t in site.traps}        # keep each trap's edge case as described
    for col in site.columns:
        if col.path in trap_paths:
            continue
        if col.leaf and col.kind in ("news", "portal_news", "portal_dept", "portal_town") and not col.placeholder:
            for _ in range(2):
                builder.fresh_doc(col, as_of - dt.timedelta(days=rng.randint(0, 3)))
        elif col.leaf and col.kind == "notice" and rng.random() < 0.3:
            builder.fresh_doc(col, as_of - dt.timedelta(days=rng.randint(0, 10)))
