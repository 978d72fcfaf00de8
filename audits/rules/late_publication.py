"""公开不及时: 发布日期 more than N working days after 成文日期 (条例 art.26)."""
from __future__ import annotations

from audits.frames import records
from audits.registry import rule
from audits.docparts import document_batches
from audits.views import to_date
from audits.workdays import add_workdays, workdays_between


@rule("late_publication", name="信息公开不及时", order=130, severity="deduct", tasks=[19],
      category="文件要素不全、不规范", config=["publication.late_workdays", "publication.judged_from"],
      basis="《政府信息公开条例》第二十六条：自信息形成或变更之日起20个工作日内公开（rules.md T1）；要点任务19",
      views=["document_parts"])
def late_publication(snapshot, config, as_of):
    """发布日期 more than N working days after 成文日期 (条例 art.26).

    url: the document
    refs: T1 (条例 art.26)

    含义：信息的发布日期比成文日期晚20个工作日以上，公开不及时。《政府信息公开条例》2008年5月1日施行前形成的文件
    （如后来补充上网的历史文件）不在此列。
    依据：《中华人民共和国政府信息公开条例》第二十六条：属于主动公开范围的政府信息，应当自该政府信息形成或者变
    更之日起20个工作日内及时公开。
    自查方法：查看文件页面的成文日期和发布日期，对照“证据”中的“最迟公开日期”。
    整改方法：已发布的文件不得改动日期以掩盖问题；今后在文件形成后20个工作日内公开，并如实标注成文日期和发布日
    期。
    """
    n = config["publication"]["late_workdays"]
    since = to_date(config["publication"]["judged_from"])
    read = ("title", "unit", "column", "column_url", "written_date", "publish_date")
    for url, d in (row for docs in document_batches(snapshot, config, ("fetched_ok", "gongkai", *read))
                   for row in records(docs[docs["fetched_ok"] & docs["gongkai"]], read)):
        written, published = to_date(d["written_date"]), to_date(d["publish_date"])
        if not written or not published or published <= written or (since and written < since):
            continue
        elapsed = workdays_between(written, published)
        if elapsed <= n:
            continue
        yield late_publication.finding(
            url, f"《{d['title']}》成文日期为{written.isoformat()}，发布日期为{published.isoformat()}，"
                 f"超过{n}个工作日才公开",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"written_date": written.isoformat(), "publish_date": published.isoformat(),
                      "last_day": add_workdays(written, n).isoformat(), "workdays": elapsed,
                      "limit_workdays": n})
