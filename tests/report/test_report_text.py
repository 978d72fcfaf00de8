"""The official text of the report: titles quoted whole, evidence in words a reader uses."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from docx import Document

from govaudit.report import write_reports
from govaudit.report import guide
from govaudit.report.evidence import evidence_items, evidence_keys, spec

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


# ---- evidence: the demo's report of a real scan of the simulated site ------------------------

URL = re.compile(r"(?:https?://|\b[\w.-]+\.[a-z]{2,}/|\b\d+\.\d+\.\d+\.\d+:\d+/)[!-~…]*", re.IGNORECASE)
RAW = re.compile(r"\b(?:nan|NaN|None|null|True|False)\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture
def demo_report(small_audit):
    """The demo's pipeline (tests/conftest.py): the simulated site crawled over HTTP, audited, the
    four files written.  (report file paths, findings document)."""
    return small_audit.report, small_audit.findings


def _without_urls(text: str) -> str:
    return URL.sub(" ", text or "")


def test_problem_list_shows_no_raw_data(demo_report):
    paths, doc = demo_report
    soup = BeautifulSoup(paths["report.html"].read_text(encoding="utf-8"), "lxml")
    rows = soup.select("#finding-table tbody tr")
    assert len(rows) == len(doc["findings"]) > 50
    checks = {f["check"] for f in doc["findings"]}
    assert {"invalid_element", "site_identity_missing", "broken_link", "missing_annual_report"} <= checks
    for row in rows:
        for a in row.select("a"):      # links show shortened URLs; their addresses are not prose
            a.decompose()
        text = _without_urls(row.get_text(" ", strip=True))
        assert not RAW.findall(text), text
        assert not SNAKE.findall(text), text
        labels = [dt_.get_text() for dt_ in row.select("dl.ev dt")]
        assert len(labels) == len(set(labels)), labels          # 来源页面 once, not twice
        assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels
    column_cells = [row.select("td")[2].get_text(strip=True) for row in rows]
    assert "nan" not in column_cells


def test_workbook_cells_show_no_raw_data(demo_report):
    paths, doc = demo_report
    wb = openpyxl.load_workbook(paths["findings.xlsx"])
    evidence = 0
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            for name, value in zip(header, row):
                text = _without_urls(value) if isinstance(value, str) else ""
                assert not RAW.findall(text), (ws.title, name, value)
                assert not SNAKE.findall(text), (ws.title, name, value)
                evidence += name == "证据" and bool(value)
    assert evidence > 50


def test_index_number_structures_are_explained_in_words(demo_report):
    paths, doc = demo_report
    styled = [f for f in doc["findings"] if f["check"] == "invalid_element" and f["evidence"].get("style")]
    assert styled
    soup = BeautifulSoup(paths["report.html"].read_text(encoding="utf-8"), "lxml")
    text = soup.find(id="finding-table").get_text(" ", strip=True)
    assert "本站多数索引号结构" in text and "统一社会信用代码/年份-序号" in text
    assert re.search(r"该索引号结构 (?:数字|字母)(?:-(?:数字|字母))+", text)


def test_every_evidence_key_of_the_scan_has_a_label(demo_report):
    _, doc = demo_report
    unlabelled = {(f["check"], key) for f in doc["findings"] for key in evidence_keys(f["check"], f["evidence"])
                  if spec(f["check"], key) is None}
    assert not unlabelled, f"label these in the rule's labels (audits/rules/<id>.py) or vocabulary.yaml's evidence section: {sorted(unlabelled)}"


def _emitted_keys(path: Path) -> set[str]:
    """Keys of the evidence mappings a rule module writes: evidence={...}, "evidence": {...},
    evidence = {...}, and extra[...]["key"] = ... (merged into the evidence)."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        dicts = []
        if isinstance(node, ast.keyword) and node.arg == "evidence":
            dicts.append(node.value)
        elif isinstance(node, ast.Dict):
            dicts += [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "evidence"]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "evidence" for t in node.targets):
            dicts.append(node.value)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if (isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and isinstance(t.value, ast.Subscript)
                        and isinstance(t.value.value, ast.Name) and t.value.value.id == "extra"):
                    keys.add(t.slice.value)
        for d in dicts:
            if isinstance(d, ast.Dict):
                keys |= {k.value for k in d.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_evidence_key_any_rule_writes_has_a_label():
    import audits

    from audits.registry import all_rules

    root = Path(audits.__file__).parent
    ids = {r.id for r in all_rules()}
    sources = {r: root / "rules" / f"{r}.py" for r in ids}
    sources["broken_link/links"] = root / "links.py"
    unlabelled = set()
    for rule_id, path in sources.items():
        check = rule_id.split("/")[0]
        keys = _emitted_keys(path)
        unlabelled |= {(check, k) for k in keys if spec(check, k) is None}
        assert keys or rule_id in ("link_inconclusive",), f"no evidence keys found in {path}"
    assert not unlabelled, f"label these in the rule's labels (audits/rules/<id>.py) or vocabulary.yaml's evidence section: {sorted(unlabelled)}"


def test_evidence_values_are_written_as_a_person_writes_them():
    items = evidence_items("broken_link", {
        "status": 404, "outcome": "http_4xx", "detail": "HTTP 404", "source": "http://www.jnzq.gov.cn/a.html",
        "sources": ["http://www.jnzq.gov.cn/a.html", "http://www.jnzq.gov.cn/b.html"], "on_homepage": False,
        "anchor": None, "checked_at": "2023-11-30T02:00:00+00:00", "source_count": 2.0, "unknown_key": "x"})
    shown = {i.label: i for i in items}
    assert list(shown) == ["HTTP状态", "检测结果", "来源页面", "首页链接", "链接所在页面数"]
    assert shown["HTTP状态"].text == "HTTP 404" and shown["检测结果"].text == "页面不存在"
    assert [p.href for p in shown["来源页面"].parts] == ["http://www.jnzq.gov.cn/a.html", "http://www.jnzq.gov.cn/b.html"]
    assert shown["链接所在页面数"].text == "2个" and shown["首页链接"].text == "否"
    seen = evidence_items("site_identity_missing", {"missing_footer": ["ICP备案号"], "missing_metas": [],
                                                    "seen": {"site_id_code": "3701810001", "icp": None}})
    assert [(i.label, i.text) for i in seen] == [("页脚缺少", "ICP备案号"), ("页脚已有", "政府网站标识码：3701810001")]
    element = evidence_items("missing_element", {"value": float("nan"), "fields_seen": [], "label_shown": True})
    assert [(i.label, i.text) for i in element] == [("已有要素", "无")]
    stale = evidence_items("stale_column", {"window": "6m", "newest_date": "2023-04-12T08:00:00+08:00",
                                            "undated_items": 0, "items": 12, "class": "notice_policy"})
    assert [(i.label, i.text) for i in stale] == [("更新要求", "半年"), ("最近更新", "2023-04-12"), ("信息条数", "12条")]
    style = evidence_items("invalid_element", {"dominant_style": "shandong", "style": "9-A-9-9"})
    assert [i.text for i in style] == ["统一社会信用代码/年份-序号", "数字-字母-数字-数字"]


# ---- 检查项说明: the guide for the people who receive the report ----------------------------

ROOT = Path(__file__).resolve().parents[2]


def _guide_sections() -> dict[str, tuple[str, str]]:
    """check id -> (name, section) of docs/检查项说明.md (headings “### N. 名称（check_id）”)."""
    text = (ROOT / guide.GUIDE_FILE).read_text(encoding="utf-8")
    parts = re.split(r"^### ", text, flags=re.MULTILINE)
    sections = {}
    for part in parts[1:]:
        m = re.match(r"\d+\. (.+)（([a-z_]+)）\n", part)
        if m:
            sections[m.group(2)] = (m.group(1), part)
    return sections


def test_every_registered_check_has_a_section_in_the_guide():
    from audits.registry import all_rules

    sections = _guide_sections()
    for r in all_rules():
        assert r.id in sections, f"{r.id} has no section in {guide.GUIDE_FILE} (add it to govaudit/report/guide.yaml)"
        name, section = sections[r.id]
        assert name == r.name   # the name the report shows
        for label in ("含义", "依据", "自查方法", "整改方法"):
            assert f"**{label}**：" in section, (r.id, label)
        assert not re.search(r"rules\.md|/work/|V\d\(|\[[UPC]\]", section), (r.id, "developer codes in the guide")
    guide_text = (ROOT / guide.GUIDE_FILE).read_text(encoding="utf-8")
    for topic in ("单项否决", "扣分估算", "无法评价", "复核"):
        assert topic in guide_text


def test_the_guide_page_is_written_from_its_data():
    assert (ROOT / guide.GUIDE_FILE).read_text(encoding="utf-8") == guide.markdown(), \
        "run: python3 -m govaudit.report.guide > docs/检查项说明.md"


def test_readme_links_the_guide_and_the_profile_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({guide.GUIDE_FILE})" in readme and "](profiles/README.md)" in readme
    assert (ROOT / "profiles" / "README.md").is_file()


def test_report_explains_the_problem_types_it_found(demo_report):
    paths, doc = demo_report
    soup = BeautifulSoup(paths["report.html"].read_text(encoding="utf-8"), "lxml")
    appendix = soup.find("section", id="guide")
    assert appendix is not None and "检查项说明" in appendix.h2.get_text()
    text = appendix.get_text("", strip=True)
    names = {r["name"] for c, r in doc["rules"].items() if c in {f["check"] for f in doc["findings"]}}
    shown = [dt_.get_text(strip=True).split(". ", 1)[1] for dt_ in appendix.select("dl.guide-checks dt")]
    assert set(shown) == names
    for topic in ("单项否决", "扣分估算", "无法评价", "整改方法", "复核", guide.GUIDE_FILE):
        assert topic in text, topic
    assert soup.find("a", href="#guide") is not None and guide.GUIDE_FILE in soup.footer.get_text()


def test_a_value_seen_on_the_page_is_quoted_as_the_page_wrote_it():
    items = evidence_items("invalid_element", {"value": "2023-11-25 10:30", "written_date": "2023-11-25T00:00:00",
                                               "problems": ["成文日期晚于发布日期"]})
    assert [(i.label, i.text) for i in items] == [("页面所见", "2023-11-25 10:30"), ("成文日期", "2023-11-25"),
                                                   ("问题", "成文日期晚于发布日期")]


def test_the_guide_says_how_the_deadline_is_counted():
    """context.py counts 整改时限 from the later of 统计截止日期 and the scan date (a scan run with a
    past as_of still gives the units 15 working days from now); the guide said from 统计截止日期."""
    text = guide.markdown()
    assert "统计截止日期与检查日期中较晚一日之后的第15个工作日" in text and "统计截止日期后第15个工作日" not in text
