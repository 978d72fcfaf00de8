"""征求意见期限不足: a 决策草案 open for comments fewer days than the minimum (713号令 art.14)."""
from __future__ import annotations

from audits.consultations import consultations
from audits.registry import rule


@rule("consultation_too_short", name="征求意见期限不足", order=170, severity="deduct", tasks=[16],
      config=["consultation.min_days"],
      basis="《重大行政决策程序暂行条例》第十四条：征求意见期限一般不少于30日（rules.md T8）；要点任务16",
      views=["column_classes", "document_parts", "link_verdicts"])
def consultation_too_short(snapshot, config, as_of):
    """A 决策草案 open for comments fewer days than the minimum (713号令 art.14).

    url: the 征集 item
    refs: T8

    含义：决策草案公开征求意见的期限少于30日（按《民法典》第二百零一条，开始当日不计入，如5月1日至5月30日
    为29日）。
    依据：《重大行政决策程序暂行条例》第十四条：征求意见期限一般不少于30日。
    自查方法：查看征求意见公告中的起止日期。
    整改方法：今后征求意见期限不少于30日；因情况紧急等原因需要缩短期限的，在公告中说明理由。
    """
    minimum = config["consultation"]["min_days"]
    for c in consultations(snapshot, config):
        start, end, d = c["start"], c["end"], c["doc"]
        if not start or not end or end < start:
            continue
        # 民法典第二百零一条: the first day is not counted — 5月1日至5月30日 is 29 days.
        days = (end - start).days
        if days >= minimum:
            continue
        yield consultation_too_short.finding(
            d["url"], f"《{d['title']}》征求意见期限为{start.isoformat()}至{end.isoformat()}，共{days}日，少于{minimum}日",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"start": start.isoformat(), "end": end.isoformat(), "days": days, "minimum_days": minimum})
