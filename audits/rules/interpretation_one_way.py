"""解读未双向关联: the document links to its 解读 but not back, or the other way round."""
from __future__ import annotations

from audits.interpretations import pairs
from audits.registry import rule
from audits.views import document_view


@rule("interpretation_one_way", name="解读未双向关联", order=6, severity="deduct", tasks=[22, 23],
      basis="政策文件与解读材料应双向关联（rules.md J4，检查通报“未将解读材料与政策文件双向关联”）；要点任务22、23")
def interpretation_one_way(snapshot, config, as_of):
    docs = document_view(snapshot, config)
    fetched = set(docs.index[docs["fetched_ok"]])
    linked = pairs(snapshot, config)
    linked = linked[linked["forward"] != linked["backward"]]
    # Both pages must have been read: a dead end of the link is broken_link's finding instead.
    linked = linked[linked["doc"].isin(fetched) & linked["interp"].isin(fetched)]
    for doc_url, group in linked.groupby("doc", sort=True):
        d = docs.loc[doc_url]
        gaps = []
        for _, p in group.sort_values("interp").iterrows():
            gaps.append({"interpretation": p["interp"], "interpretation_title": docs.loc[p["interp"], "title"],
                         "missing": "解读未关联原文" if p["forward"] else "原文未关联解读"})
        first = gaps[0]
        yield interpretation_one_way.finding(
            doc_url, f"《{d['title']}》与解读“{first['interpretation_title']}”未双向关联（{first['missing']}）",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"interpretation": first["interpretation"], "missing": first["missing"], "pairs": gaps})
