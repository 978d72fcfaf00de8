"""解读发布不及时: the first 解读 appeared more than N working days after the document."""
from __future__ import annotations

from audits.docparts import document_batches, document_rows
from audits.interpretations import pairs
from audits.frames import lookup
from audits.registry import rule
from audits.views import to_date
from audits.workdays import add_workdays, workdays_between


def sentence(part, say):
    """主要问题: late 解读, with the limit when all findings share it."""
    limits = part["evidence"].map(lambda e: e.get("limit_workdays")).dropna().unique()
    bound = f"（超过{limits[0]}个工作日）" if len(limits) == 1 else ""

    def text(r):
        ev = r.evidence
        if ev.get("publish_date") and ev.get("interpretation_date"):
            return f"{r.unit}{say.title(r)}于{ev['publish_date']}发布，解读于{ev['interpretation_date']}才发布"
        return say.with_unit(r)
    return f"解读发布不及时{bound}{len(part)}篇", say.examples(part, text)


@rule("late_interpretation", name="解读发布不及时", order=80, severity="deduct", tasks=[23],
      category="政策解读不到位", config=["interpretation.late_workdays"],
      sentence=sentence,
      basis="政策文件发布3个工作日内公开解读材料（rules.md J3，地方规定及检查通报）；要点任务23（三同步）",
      views=["document_parts", "interp_pairs"])
def late_interpretation(snapshot, config, as_of):
    """The first 解读 appeared more than N working days after the document.

    url: the policy document
    refs: J3, 三同步

    含义：解读材料晚于政策文件发布3个工作日以上才发布（按法定节假日和调休计算工作日）。
    依据：政策文件与解读材料同步组织、同步审签、同步部署（国办发〔2016〕80号）；政务公开工作要点“三同步”要求
    ；解读最迟于文件发布后3个工作日内发布的地方规定和检查通报做法。
    自查方法：比较文件页面和解读页面的发布日期，对照“证据”中的“最迟应于”日期。
    整改方法：已发布的解读不需改动日期；今后起草政策文件时同步起草解读材料，与文件同时或在3个工作日内发布。
    """
    n = config["interpretation"]["late_workdays"]
    known = pairs(snapshot, config)
    # Only a date (and fetched_ok) per paired URL is held, read a part at a time: the view's rows
    # of every paired document at once (10⁴ at 10⁵ documents) were the audit's largest transient
    # after the document parts, and what outlived it pinned 5 MiB of the heap.
    canon = {u: u for u in (*known["doc"], *known["interp"])}      # the pairs' own strings as keys
    dated_by_page: dict[str, object] = {}
    fetched: set[str] = set()
    for docs in document_batches(snapshot, config, ("publish_date", "fetched_ok")):
        for url, day, ok in zip(docs.index, docs["publish_date"], docs["fetched_ok"]):
            key = canon.get(url)
            if key is not None:
                dated_by_page[key] = to_date(day)
                if ok:
                    fetched.add(key)
    del canon
    known = known[known["doc"].isin(dated_by_page) & known["interp"].isin(dated_by_page)]
    # A page without a readable 发布日期 is dated by its list entry.
    listed = {}
    undated = [u for u in {*known["doc"], *known["interp"]} if dated_by_page[u] is None]
    if undated:
        items = snapshot.list_items_of(undated, ["url", "date"])
        for url, day in zip(items["url"], items["date"]):
            day = to_date(day)
            if day and (url not in listed or day < listed[url]):
                listed[url] = day

    def shown(url):
        return dated_by_page[url] or listed.get(url)

    interps: dict[str, list] = {}
    for doc_url, interp in zip(known["doc"], known["interp"]):
        interps.setdefault(doc_url, []).append(interp)
    late = []
    for doc_url in sorted(interps):
        published = shown(doc_url)
        dated = [(shown(i), i) for i in interps[doc_url]]
        dated = [(day, i) for day, i in dated if day]
        if not published or not dated or doc_url not in fetched:
            continue
        first_day, first_url = min(dated)
        deadline = add_workdays(published, n)
        if first_day > deadline:
            late.append((doc_url, published, first_day, first_url, deadline))
    if not late:
        return
    row = lookup(document_rows(snapshot, config, [doc for doc, *_ in late], ("title", "unit", "column", "column_url")),
                 ("title", "unit", "column", "column_url"))
    for doc_url, published, first_day, first_url, deadline in late:
        d = row(doc_url)
        lag = workdays_between(published, first_day)
        yield late_interpretation.finding(
            doc_url,
            f"《{d['title']}》发布于{published.isoformat()}，解读发布于{first_day.isoformat()}，"
            f"超过{n}个工作日",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"publish_date": published.isoformat(), "interpretation": first_url,
                      "interpretation_date": first_day.isoformat(), "deadline": deadline.isoformat(),
                      "workdays_late": lag, "limit_workdays": n})
