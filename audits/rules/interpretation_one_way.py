"""解读未双向关联: the document links to its 解读 but not back, or the other way round."""
from __future__ import annotations

from audits.interpretations import pair_documents, pairs
from audits.frames import lookup
from audits.registry import rule


def sentence(part, say):
    """主要问题: one-way links, by the direction that is missing."""
    direction = part["evidence"].map(lambda e: e.get("missing") or "")
    back = (direction == "解读未关联原文").sum()
    forth = len(part) - back
    said = "；".join(s for s in (
        f"{back}篇解读未关联政策原文" if back else "",
        f"{forth}篇政策文件未关联其解读（解读已链接原文）" if forth else "",
    ) if s) + "，未实现双向关联"
    return said, say.examples(part, lambda r: f"{r.unit}{say.title(r)}{r.evidence.get('missing') or '未双向关联'}")


@rule("interpretation_one_way", name="解读未双向关联", order=70, severity="deduct", tasks=[22, 23],
      category="政策解读不到位", config=["interpretation.column_keywords"],
      labels={"missing": "缺失方向"},
      sentence=sentence,
      basis="政策文件与解读材料应双向关联（rules.md J4，检查通报“未将解读材料与政策文件双向关联”）；要点任务22、23",
      views=["document_parts", "interp_pairs"])
def interpretation_one_way(snapshot, config, as_of):
    """The document links to its 解读 but not back, or the other way round.

    url: the policy document
    refs: J4

    含义：政策文件和解读材料只单向关联：文件页面链接了解读但解读页面没有链接原文，或解读页面链接了原文但文件页
    面没有链接解读。
    依据：政务公开工作要点关于政策文件与解读材料同步发布、关联公开的要求；各级检查通报中“未将解读材料与政策文
    件双向关联”的问题。
    自查方法：分别打开文件页面和解读页面，确认两边都有指向对方的链接。
    整改方法：在缺少链接的一方添加关联：文件页面加“相关解读”链接，解读页面加“政策原文”链接。
    """
    docs = pair_documents(snapshot, config, ("title", "unit", "column", "column_url", "fetched_ok"))
    fetched = set(docs.index[docs["fetched_ok"]])
    linked = pairs(snapshot, config)
    linked = linked[linked["forward"] != linked["backward"]]
    # Both pages must have been read: a dead end of the link is broken_link's finding instead.
    linked = linked[linked["doc"].isin(fetched) & linked["interp"].isin(fetched)]
    row = lookup(docs, ("title", "unit", "column", "column_url"))
    by_doc: dict[str, list] = {}
    for doc_url, interp, forward in sorted(zip(linked["doc"], linked["interp"], linked["forward"])):
        by_doc.setdefault(doc_url, []).append(
            {"interpretation": interp, "interpretation_title": row(interp)["title"],
             "missing": "解读未关联原文" if forward else "原文未关联解读"})
    for doc_url, gaps in by_doc.items():
        d = row(doc_url)
        first = gaps[0]
        yield interpretation_one_way.finding(
            doc_url, f"《{d['title']}》与解读“{first['interpretation_title']}”未双向关联（{first['missing']}）",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"interpretation": first["interpretation"], "missing": first["missing"], "pairs": gaps})
