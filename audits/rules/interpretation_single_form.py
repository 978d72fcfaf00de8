"""解读形式单一: too large a share of the district's 解读 are text only (J5, 要点 task 25)."""
from __future__ import annotations

from audits.interpretations import interpretation_titles
from audits.registry import rule
from audits.docparts import document_rows
from audits.views import contains_any


@rule("interpretation_single_form", name="解读形式单一", order=90, severity="notice", tasks=[25],
      category="政策解读不到位", config=["interpretation.single_form_min_sample",
              "interpretation.single_form_max_text_share", "interpretation.form_keywords",
              "interpretation.media_extensions", "interpretation.single_form_max_examples"],
      basis="创新解读形式，重要政策文件原则上不少于5种解读形式（要点任务25；rules.md J5，比例阈值为本地做法[U]）",
      views=["column_classes", "document_parts", "interpretation_documents"])
def interpretation_single_form(snapshot, config, as_of):
    """Too large a share of the district's 解读 are text only (J5, 要点 task 25).

    url: the start URL
    refs: J5

    含义：政策解读绝大多数只有文字形式，较少采用图解、音视频、问答、专家解读等形式。本项为提示，不计分。
    依据：政务公开工作要点关于创新解读形式的要求。
    自查方法：查看政策解读栏目中近期解读的形式。
    整改方法：对重要政策采用图片图解、一图读懂、音视频、政策问答、负责人解读等多种形式解读。
    """
    icfg = config["interpretation"]
    titles = interpretation_titles(snapshot, config)
    if len(titles) < icfg["single_form_min_sample"]:
        return
    docs = document_rows(snapshot, config, titles, ("attachments",))
    exts = tuple(icfg["media_extensions"])

    def rich(url, title):
        if contains_any(title, icfg["form_keywords"]):
            return True
        if url in docs.index:
            for a in docs.loc[url, "attachments"] or []:
                if str(a.get("url", "")).lower().endswith(exts):
                    return True
        return False

    text_only = [u for u, t in titles.items() if not rich(u, t)]
    share = len(text_only) / len(titles)
    if share <= icfg["single_form_max_text_share"]:
        return
    where = snapshot.scan["start_url"]
    yield interpretation_single_form.finding(
        where, f"政策解读形式单一：{len(titles)}篇解读中{len(text_only)}篇仅为文字解读（占{share:.0%}）",
        unit=snapshot.district_unit,
        evidence={"interpretations": len(titles), "text_only": len(text_only), "share": round(share, 3),
                  "limit": icfg["single_form_max_text_share"],
                  "examples": sorted(text_only)[:icfg["single_form_max_examples"]]})
