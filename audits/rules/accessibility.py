"""无障碍与适老化: img without alt, html without lang, no 无障碍/关怀版 entry, unlabelled controls."""
from __future__ import annotations

import heapq

from sqlalchemy import func, or_

from audits.links import page_owner
from audits.registry import rule
from audits.texts import page_values

OTHER_PAGES = "其他页面"


def _page_gaps(facts: dict, require_lang: bool) -> list[str]:
    gaps = []
    if require_lang and "lang" in facts and not facts["lang"]:
        gaps.append("html未声明lang语言属性")
    if facts.get("imgs_without_alt"):
        gaps.append(f"{facts['imgs_without_alt']}张图片缺少alt替代文本")
    if facts.get("controls_without_label"):
        gaps.append(f"{facts['controls_without_label']}个表单控件缺少标签")
    return gaps


def _may_have_gaps(require_lang: bool):
    """The pages whose facts can hold a gap, chosen by the database from two keys of ``facts``
    (reading and decoding every page's facts was 3 s at 10⁵ pages).  A superset: the loop
    below still judges each page.  The crawler writes ``lang`` as a string or null."""
    def where(table):
        imgs = func.coalesce(table.c.facts["imgs_without_alt"].as_integer(), 0) != 0
        if not require_lang:
            return imgs
        lang = table.c.facts["lang"].as_string()
        return or_(imgs, lang.is_(None), lang == "")
    return where


@rule("accessibility", name="无障碍与适老化不达标", order=210, severity="notice", tasks=[34],
      config=["accessibility"],
      basis="GB/T 37668-2019、工信部适老化通用设计规范、国办公开办函〔2021〕28号（rules.md A1–A3）；"
            "要点任务34（加快推进适老化与无障碍改造）",
      views=["document_parts", "link_verdicts", "list_page_owners"])
def accessibility(snapshot, config, as_of):
    """Img without alt, html without lang, no 无障碍/关怀版 entry, unlabelled controls.

    url: the homepage / a page; the start URL (`field`: 其他页面)
    refs: A1–A3

    含义：网站无障碍和适老化不到位，如图片缺少替代文本、网页未声明语言、首页没有无障碍或关怀版（长者版）入口。
    本项为提示。
    依据：《信息技术互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668-2019）；工业和信息化部《互联网网
    站适老化通用设计规范》；政务公开工作要点关于适老化与无障碍改造的要求。
    自查方法：查看“证据”中列出的图片和页面；在首页查找“无障碍”“关怀版”入口。
    整改方法：为图片添加说明文字（替代文本）；由网站技术支持单位完善页面模板和无障碍、关怀版功能。
    """
    cfg = config["accessibility"]
    home = snapshot.homepage_url
    for url, facts in page_values(snapshot, "facts", [home] if home else []):
        if url != home or not isinstance(facts, dict):
            continue
        gaps = _page_gaps(facts, cfg["require_lang"])
        if cfg["require_homepage_entry"]:
            if "accessibility_entry" in facts and not facts["accessibility_entry"]:
                gaps.append("首页未提供“无障碍”入口")
            if "care_entry" in facts and not facts["care_entry"]:
                gaps.append("首页未提供“关怀版/长者版”入口")
        if gaps:
            yield accessibility.finding(
                url, f"网站首页{'；'.join(gaps)}", unit=snapshot.district_unit, column="首页",
                evidence={"gaps": gaps, "imgs_without_alt_sample": facts.get("imgs_without_alt_sample"),
                          "controls_without_label_sample": facts.get("controls_without_label_sample")})
    # Other pages: images without alt are each page's own content (one finding per page); a
    # missing lang comes from the template, so it is one site-wide finding.
    # Facts are read in batches (audits.texts); only the few without lang are kept to sort.
    homes = {home, *snapshot.pages_of_kind(["homepage"], [])["url"]}
    no_lang, examples, without_alt = 0, [], []
    for url, facts in page_values(snapshot, "facts", where=_may_have_gaps(cfg["require_lang"])):
        if url in homes or not isinstance(facts, dict):
            continue
        if facts.get("imgs_without_alt"):
            without_alt.append((url, facts["imgs_without_alt"], facts.get("imgs_without_alt_sample")))
        if cfg["require_lang"] and "lang" in facts and not facts["lang"]:
            no_lang += 1        # a template's gap is on every page: count them, keep a few
            examples = heapq.nsmallest(cfg["max_examples"], [*examples, url])
    owner = page_owner(snapshot, config, (url for url, _, _ in without_alt))
    for url, count, sample in without_alt:
        yield accessibility.finding(
            url, f"页面{url}有{count}张图片缺少alt替代文本", unit=owner.get(url, (snapshot.district_unit,))[0],
            evidence={"imgs_without_alt": count, "imgs_without_alt_sample": sample})
    if no_lang:
        yield accessibility.finding(
            snapshot.scan["start_url"], f"其他页面：{no_lang}个页面html未声明lang语言属性", field=OTHER_PAGES,
            unit=snapshot.district_unit, evidence={"pages_without_lang": no_lang, "examples": examples})
