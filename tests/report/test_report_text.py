"""The official text of the report: titles quoted whole, evidence in words a reader uses."""
from __future__ import annotations

from bs4 import BeautifulSoup
from docx import Document

from govaudit.report import write_reports

from .report_builders import BASE, add_scan, finding_record, findings_document, store_audit

ISSUED = "济南市章丘区人力资源和社会保障局关于印发《章丘区创业担保贷款实施方案》的通知"
PLAN = "济南市章丘区人民政府办公室关于印发《章丘区学前教育普及普惠实施办法》的通知"
LATE = "济南市章丘区人民政府关于印发《章丘区养老服务体系建设实施方案》的通知"
ONE_WAY = "济南市章丘区明水街道办事处关于印发《章丘区大气污染防治三年行动计划》的通知"


def _doc_url(n: int) -> str:
    return f"{BASE}/gongkai/site_rsj/art/2023/5/{n}/art_1_{n}.html"


NESTED = [
    ("missing_element", _doc_url(1), "发文字号", "区人社局", "部门文件", "deduct", f"《{ISSUED}》缺少发文字号",
     {"value": None, "required_by": "区人社局/部门文件"}, [20], (0,)),
    ("missing_interpretation", _doc_url(2), None, None, "区政府办公室文件", "deduct", f"《{PLAN}》未关联政策解读",
     {"why_required": "文号含政办发"}, [22], (0,)),
    ("late_interpretation", _doc_url(3), None, "区人社局", "规范性文件", "notice",
     f"《{LATE}》发布于2021-11-12，解读发布于2021-11-28，超过3个工作日",
     {"publish_date": "2021-11-12", "interpretation_date": "2021-11-28", "limit_workdays": 3}, [22], (0,)),
    ("interpretation_one_way", _doc_url(4), None, "明水街道", "规范性文件", "deduct",
     f"《{ONE_WAY}》与解读“《{ONE_WAY}》政策解读”未双向关联（原文未关联解读）",
     {"interpretation": _doc_url(5), "missing": "原文未关联解读"}, [22], (0,)),
]


def test_nested_titles_are_quoted_whole_in_main_problems_and_the_notice(engine, tmp_path):
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [finding_record(p) for p in NESTED])
    store_audit(engine, scan_id, doc)
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    problems = BeautifulSoup(paths["report.html"].read_text(encoding="utf-8"), "lxml").find("section", id="problems")
    examples = [li.get_text("", strip=True) for li in problems.select("li")]
    notice = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    for title in (ISSUED, PLAN, LATE, ONE_WAY):
        assert any(f"《{title}》" in e for e in examples), (title, examples)
    for title in (ISSUED, PLAN):  # the 通报 quotes two examples per category
        assert f"《{title}》" in notice
    for text in examples + [notice]:
        assert text.count("《") == text.count("》"), text
