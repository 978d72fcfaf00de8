"""主要问题 of 要素缺失: a field the crawler may have read under another label (a notice: the page
shows 信息分类：水利) is to be checked by hand, never stated as missing in the 通报."""
from __future__ import annotations

from audits.registry import all_rules

from govaudit.report.frame import findings_frame
from govaudit.report.problems import paragraphs

DOC = "http://site.test/zcwjk/detail.html?id="


def _record(n, field, severity, message):
    return {"check": "missing_element", "url": f"{DOC}{n}", "field": field, "severity": severity,
            "unit": "区政府", "column": "区政府办公室文件", "message": message, "evidence": {}}


def _paragraph(records):
    names = {r.id: r.name for r in all_rules()}
    frame = findings_frame(records, names, "区政府")
    (para,) = paragraphs(frame, names, examples_per_check=5)
    return para


def test_unread_label_notice_is_not_said_to_be_missing():
    para = _paragraph([
        _record(1, "索引号", "deduct", "《关于做好防汛工作的通知》缺少索引号"),
        _record(2, "主题分类", "notice", "《关于调整缴费标准的通知》未识别到主题分类（页面要素中有未能识别的“信息分类”，请人工核对）"),
    ])
    assert para.text.startswith("1篇文件要素不全（缺少索引号1篇）；1篇文件有未能识别的要素名称，待人工核对是否缺少主题分类1篇")
    texts = [e.text for e in para.examples]
    assert texts[0] == "区政府《关于做好防汛工作的通知》缺少索引号"
    assert texts[1].startswith("区政府《关于调整缴费标准的通知》未识别到主题分类")
    assert not any("缺少主题分类" in t for t in texts)


def test_only_unread_label_notices():
    para = _paragraph([_record(3, "主题分类", "notice", "《某通知》未识别到主题分类（页面要素中有未能识别的“所属主题”，请人工核对）")])
    assert "要素不全" not in para.text and "待人工核对是否缺少主题分类1篇" in para.text
