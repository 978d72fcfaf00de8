"""解读发布不及时: the first 解读 appeared more than N working days after the document."""
from __future__ import annotations

from audits.interpretations import pairs
from audits.registry import rule
from audits.views import document_view, to_date
from audits.workdays import add_workdays, workdays_between


@rule("late_interpretation", name="解读发布不及时", order=7, severity="deduct", tasks=[23],
      basis="政策文件发布3个工作日内公开解读材料（rules.md J3，地方规定及检查通报）；要点任务23（三同步）")
def late_interpretation(snapshot, config, as_of):
    docs = document_view(snapshot, config)
    n = config["interpretation"]["late_workdays"]
    known = pairs(snapshot, config)
    known = known[known["doc"].isin(docs.index) & known["interp"].isin(docs.index)]
    # A page without a readable 发布日期 is dated by its list entry.
    listed = {}
    for url, day in zip(snapshot.list_items["url"], snapshot.list_items["date"]):
        day = to_date(day)
        if day and (url not in listed or day < listed[url]):
            listed[url] = day

    def shown(url):
        return to_date(docs.loc[url, "publish_date"]) or listed.get(url)

    for doc_url, group in known.groupby("doc", sort=True):
        d = docs.loc[doc_url]
        published = shown(doc_url)
        dated = [(shown(i), i) for i in group["interp"]]
        dated = [(day, i) for day, i in dated if day]
        if not published or not dated or not d["fetched_ok"]:
            continue
        first_day, first_url = min(dated)
        deadline = add_workdays(published, n)
        if first_day <= deadline:
            continue
        lag = workdays_between(published, first_day)
        yield late_interpretation.finding(
            doc_url,
            f"《{d['title']}》发布于{published.isoformat()}，解读发布于{first_day.isoformat()}，"
            f"超过{n}个工作日",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"publish_date": published.isoformat(), "interpretation": first_url,
                      "interpretation_date": first_day.isoformat(), "deadline": deadline.isoformat(),
                      "workdays_late": lag, "limit_workdays": n})
