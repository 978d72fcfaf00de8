"""The veto content checks in the report of the session's real crawl of the simulator: their own
lines in 主要问题, and the 检查结论 naming the veto items found (issue 14)."""
import re


def test_veto_items_have_their_own_lines_and_the_conclusion_names_them(small_audit):
    html = small_audit.report["report.html"].read_text(encoding="utf-8")
    doc = small_audit.findings
    assert doc["verdict"]["result"] == "不合格"
    vetoes = " ".join(doc["verdict"]["vetoes"])
    assert "“习进平”应为“习近平”" in vetoes and "涉赌涉黄暗链" in vetoes
    text = re.sub(r"<[^>]+>", "", html)
    assert "严重表述错误" in text and "暗链和非法链接" in text
    assert re.search(r"\d+个页面存在严重表述错误", text) and re.search(r"\d+个暗链", text)
    assert re.search(r"\d+个外部链接指向已关停或被劫持的网站", text)
    assert "“习进平”应为“习近平”" in text
