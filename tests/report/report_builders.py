"""Stored snapshots for the report tests: scan, finding and audit_summary rows as the crawler and
the audits leave them, with realistic 章丘区 content, plus the matching findings.json document.

``HISTORY`` is a site checked three months running; each planted finding says in which of those
scans it is present, so new / fixed / still-open and the trend are known in advance.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import insert

from govaudit.core import storage

SITE = "济南市章丘区人民政府"
BASE = "http://www.jnzq.gov.cn"
START_URL = BASE + "/"
SCAN_DATES = ("2023-09-30", "2023-10-31", "2023-11-30")
ALL = (0, 1, 2)


def _doc(path: str) -> str:
    return f"{BASE}/gongkai/{path}"


# (check, url, field, unit, column, severity, message, evidence, tasks, present in scans)
PLANTED = [
    ("empty_column", _doc("site_jtj/channel_zcjd/"), None, "区教体局", "政策解读", "veto",
     "「区教体局/政策解读」栏目为空白栏目（页面仅显示“暂无信息”）",
     {"column_path": "法定主动公开内容/政策解读", "items": 0, "placeholder_text": "暂无信息"}, [33, 19], ALL),
    ("empty_column", _doc("site_bcjd/channel_czyjs/"), None, "埠村街道", "财政预决算", "veto",
     "「埠村街道/财政预决算」栏目为空白栏目", {"column_path": "法定主动公开内容/财政预决算", "items": 0}, [33, 19], (1, 2)),
    ("empty_column", _doc("site_zjj/channel_zdxm/"), None, "区住建局", "重大建设项目", "veto",
     "「区住建局/重大建设项目」栏目为空白栏目（页面仅显示“正在建设中”）",
     {"column_path": "重点领域信息/重大建设项目", "items": 0, "placeholder_text": "正在建设中"}, [33, 19], (0,)),
    ("stale_column", _doc("site_mzj/channel_gzdt/"), None, "区民政局", "工作动态", "veto",
     "「区民政局/工作动态」栏目最近更新于2023-10-20，超过两周未更新",
     {"class": "dynamic", "class_label": "动态要闻类", "window": "14d", "newest_date": "2023-10-20",
      "newest_title": "区民政局开展养老机构安全检查", "items": 37}, [33, 19], (1, 2)),
    ("stale_column", _doc("site_wjj/channel_tzgg/"), None, "区卫健局", "通知公告", "veto",
     "「区卫健局/通知公告」栏目最近更新于2023-04-12，超过半年未更新",
     {"class": "notice_policy", "class_label": "通知公告、政策文件类", "window": "6m", "newest_date": "2023-04-12",
      "items": 12}, [33, 19], ALL),
    ("stale_column", _doc("site_gzjd/channel_rsxx/"), None, "官庄街道", "人事信息", "veto",
     "「官庄街道/人事信息」栏目最近更新于2022-09-01，超过一年未更新",
     {"class": "personnel_plan", "class_label": "人事、规划计划类", "window": "12m", "newest_date": "2022-09-01",
      "items": 3}, [33, 19], (2,)),
    ("missing_element", _doc("site_jtj/art/2023/10/8/art_101_5001.html"), "发文字号", "区教体局", "政策文件", "deduct",
     "《关于做好2023年秋季学期中小学校安全工作的通知》缺少发文字号",
     {"value": None}, [20], ALL),
    ("missing_element", _doc("site_jtj/art/2023/10/8/art_101_5001.html"), "成文日期", "区教体局", "政策文件", "deduct",
     "《关于做好2023年秋季学期中小学校安全工作的通知》缺少成文日期",
     {"value": None}, [20], ALL),
    ("missing_element", _doc("site_zfbgs/art/2023/11/2/art_88_6120.html"), "有效性", None, "区政府文件", "deduct",
     "《济南市章丘区人民政府关于印发章丘区促进民营经济高质量发展若干措施的通知》缺少有效性",
     {"value": None}, [20], (1, 2)),
    ("missing_element", _doc("site_mzj/art/2023/9/15/art_77_4410.html"), "索引号", "区民政局", "部门文件", "deduct",
     "《区民政局关于调整城乡低保标准的通知》缺少索引号", {"value": None}, [20], (0, 1)),
    ("invalid_element", _doc("site_jtj/art/2023/9/1/art_101_4801.html"), "发文字号", "区教体局", "政策文件", "deduct",
     "《关于印发章丘区义务教育阶段招生入学工作方案的通知》发文字号“章教体字[2023]5号”不规范：应使用六角括号〔〕",
     {"value": "章教体字[2023]5号", "problems": ["应使用六角括号〔〕"]}, [20], ALL),
    ("invalid_element", _doc("site_zjj/art/2023/11/20/art_66_7002.html"), "成文日期", "区住建局", "部门文件", "deduct",
     "《关于做好冬季城镇燃气安全管理工作的通知》成文日期“2023-11-25”不规范：成文日期晚于发布日期",
     {"value": "2023-11-25", "written_date": "2023-11-25", "publish_date": "2023-11-20",
      "problems": ["成文日期晚于发布日期"]}, [20], (2,)),
    ("missing_interpretation", _doc("site_zfbgs/art/2023/11/2/art_88_6120.html"), None, None, "区政府文件", "deduct",
     "《济南市章丘区人民政府关于印发章丘区促进民营经济高质量发展若干措施的通知》未关联政策解读",
     {"doc_number": "章政发〔2023〕12号"}, [22, 23], (1, 2)),
    ("interpretation_one_way", _doc("site_zfbgs/art/2023/8/10/art_88_5502.html"), None, None, "区政府办公室文件",
     "deduct", "《济南市章丘区人民政府办公室关于进一步加强城市精细化管理的实施意见》的解读未关联政策原文",
     {"interpretation": _doc("site_zfbgs/art/2023/8/12/art_90_5510.html"), "missing": "解读未关联原文"}, [22], ALL),
    ("interpretation_one_way", _doc("site_jtj/art/2023/7/3/art_101_4501.html"), None, "区教体局", "规范性文件",
     "deduct", "《章丘区校外培训机构管理办法》未关联其解读",
     {"interpretation": _doc("site_jtj/art/2023/7/5/art_102_4503.html"), "missing": "原文未关联解读"}, [22], (2,)),
    ("late_interpretation", _doc("site_zfbgs/art/2023/10/9/art_88_5901.html"), None, None, "区政府文件", "notice",
     "《章丘区城乡居民基本医疗保险实施办法》的解读发布不及时（文件2023-10-09发布，解读2023-10-19发布）",
     {"publish_date": "2023-10-09", "interpretation_date": "2023-10-19", "workdays_late": 8, "limit_workdays": 3,
      "interpretation": _doc("site_zfbgs/art/2023/10/19/art_90_5950.html")}, [22, 23], (1, 2)),
    ("broken_link", BASE + "/art/2023/6/1/art_9_404.html", None, None, "首页", "deduct",
     "首页链接“章丘区第二季度政府网站检查情况”无法访问（HTTP 404）",
     {"source": START_URL, "status": 404, "outcome": "http_4xx", "anchor": "章丘区第二季度政府网站检查情况",
      "on_homepage": True}, [33], ALL),
    ("broken_link", _doc("site_zjj/attach/2023/zfbz.pdf"), None, "区住建局", "通知公告", "deduct",
     "附件《租赁住房补贴申请表》无法下载（HTTP 404）",
     {"source": _doc("site_zjj/art/2023/5/6/art_66_3001.html"), "status": 404, "outcome": "http_4xx",
      "is_attachment": True}, [33, 12], (1, 2)),
    ("broken_link", "http://old.jnzq.gov.cn/zwgk/list.html", None, "明水街道", "工作动态", "deduct",
     "链接“原政务公开栏目”无法访问（DNS解析失败）",
     {"source": _doc("site_msjd/art/2023/3/1/art_55_1001.html"), "outcome": "dns"}, [33], (2,)),
    ("link_inconclusive", "https://www.ccgp-shandong.gov.cn/", None, "区财政局", "政府采购", "notice",
     "链接返回HTTP 403，可能为网站防护拦截，请人工核查",
     {"source": _doc("site_czj/channel_zfcg/"), "status": 403}, [], (2,)),
    ("privacy_leak", _doc("site_mzj/art/2023/11/1/art_77_5009.html"), None, "区民政局", "社会救助", "deduct",
     "《2023年10月城乡低保新增人员公示》含有未脱敏的身份证号码",
     {"value": "370181********2317"}, [], (2,)),
]

RULES = {
    "empty_column": {"name": "空白栏目", "basis": "单项否决 V4(c)；要点任务33", "severity": "veto", "tasks": [33, 19]},
    "stale_column": {"name": "栏目更新不及时", "basis": "单项否决 V4(a)(b)；要点任务33", "severity": "veto", "tasks": [33, 19]},
}

UNIT_WHEN_MISSING = "区政府门户网站"   # govaudit/report/defaults.yaml unit_when_missing


def unit_of(finding: dict) -> str:
    return finding["unit"] or UNIT_WHEN_MISSING


def finding_record(planted) -> dict:
    check, url, field, unit, column, severity, message, evidence, tasks, _ = planted
    return {"check": check, "url": url, "field": field, "unit": unit, "column": column, "severity": severity,
            "message": message, "evidence": evidence, "column_url": url if check.endswith("_column") else None,
            "tasks": list(tasks), "key": f"{check}|{url}|{field or ''}"}


def findings_in(month: int, planted=PLANTED) -> list[dict]:
    return [finding_record(p) for p in planted if month in p[-1]]


def deductions(findings: list[dict]) -> list[dict]:
    """A deduction breakdown shaped like the audits' (indicator, count, per, cap, points)."""
    home = sum(f["check"] == "broken_link" and bool(f["evidence"].get("on_homepage")) for f in findings)
    other = sum(f["check"] == "broken_link" for f in findings) - home
    elements = sum(f["check"] in ("missing_element", "invalid_element") for f in findings)
    rows = [("broken_link_homepage", home, 1.0, 10), ("broken_link_other", other, 0.1, 5),
            ("missing_element", elements, 0.5, 10)]
    return [{"indicator": i, "count": n, "per": per, "cap": cap, "points": round(min(n * per, cap), 2)}
            for i, n, per, cap in rows if n]


def findings_document(scan_id: int, as_of: str, findings: list[dict], *, start_url: str = START_URL,
                      verdict: dict | None = None, scope: dict | None = None) -> dict:
    vetoes = sum(f["check"] in ("empty_column", "stale_column") for f in findings)
    parts = deductions(findings)
    doc = {
        "site": SITE, "start_url": start_url, "scan_id": str(scan_id), "as_of": as_of,
        "generated_at": f"{as_of}T10:00:00+08:00",
        "inventory": {"units": 38, "columns": 612, "documents": 4873, "pages": 5930, "links_checked": 18211,
                      "fetch_errors": 3},
        "verdict": verdict or {"result": "不合格" if vetoes >= 5 else "合格",
                               "vetoes": ["空白栏目及更新不及时栏目合计5个以上"] if vetoes >= 5 else [],
                               "score_estimate": round(100 - sum(p["points"] for p in parts), 1),
                               "pass_line": 60, "deductions": parts},
        "rules": RULES,
        "counts": dict(Counter(f["check"] for f in findings)),
        "findings": findings,
    }
    if scope:
        doc["scope"] = scope
    return doc


def add_scan(engine, started: str, *, start_url: str = START_URL, status: str = "complete",
             scope_unit: str | None = None, profile: dict | None = None) -> int:
    with engine.begin() as conn:
        return int(conn.execute(insert(storage.scan).values(
            site_name=SITE, start_url=start_url, started_at=f"{started}T02:00:00+08:00",
            finished_at=f"{started}T03:40:00+08:00", status=status, scope_unit=scope_unit, profile=profile,
            stats={"pages": 5930})).inserted_primary_key[0])


def store_audit(engine, scan_id: int, doc: dict, first_seen: dict[str, int] | None = None) -> None:
    """finding + audit_summary rows, as the audits store them."""
    first_seen = first_seen or {}
    with engine.begin() as conn:
        for f in doc["findings"]:
            conn.execute(insert(storage.finding).values(
                scan_id=scan_id, audit_run=doc["generated_at"], as_of=doc["as_of"], key=f["key"], check=f["check"],
                url=f["url"], field=f["field"], unit=f["unit"], column=f["column"], column_url=f["column_url"],
                severity=f["severity"], message=f["message"], evidence=f["evidence"], tasks=f["tasks"],
                first_seen_scan=first_seen.get(f["key"], scan_id)))
        conn.execute(insert(storage.audit_summary).values(
            scan_id=scan_id, as_of=doc["as_of"], audited_at=doc["generated_at"], verdict=doc["verdict"]["result"],
            vetoes=doc["verdict"]["vetoes"], score_estimate=doc["verdict"]["score_estimate"], counts=doc["counts"],
            inventory=doc["inventory"]))


def build_history(engine, months=(0, 1, 2), planted=PLANTED, start_url: str = START_URL) -> tuple[list[int], list[dict]]:
    """One audited scan per month; returns the scan ids and their findings documents."""
    ids, docs, first_seen = [], [], {}
    for month in months:
        scan_id = add_scan(engine, SCAN_DATES[month], start_url=start_url)
        doc = findings_document(scan_id, SCAN_DATES[month], findings_in(month, planted), start_url=start_url)
        for f in doc["findings"]:
            first_seen.setdefault(f["key"], scan_id)
        store_audit(engine, scan_id, doc, first_seen)
        ids.append(scan_id)
        docs.append(doc)
    return ids, docs


def hostile_planted() -> list[tuple]:
    """Findings whose titles, units, columns and URLs carry markup and script URLs."""
    xss = "<script>window.__pwned=1</script>"
    img = '<img src=x onerror="window.__pwned=1;alert(1)">'
    return [
        ("missing_element", "javascript:window.__pwned=1//", "发文字号", f"区教体局{img}", f"政策文件{xss}", "deduct",
         f"《关于{xss}的通知》缺少发文字号", {"value": img, "source": "javascript:alert(1)"}, [20], ALL),
        ("broken_link", "JaVaScRiPt:window.__pwned=1", None, '明水街道"><svg onload=window.__pwned=1>',
         "工作动态", "deduct", f"链接“{img}”无法访问",
         {"source": "java\tscript:window.__pwned=1", "status": 404}, [33], ALL),
        ("empty_column", "data:text/html,<script>window.__pwned=1</script>", None, "区民政局", "</script><script>window.__pwned=1</script>",
         "veto", "「区民政局」栏目为空白栏目 onerror=window.__pwned=1",
         {"placeholder_text": "<iframe src=javascript:window.__pwned=1>"}, [33], ALL),
        ("stale_column", BASE + '/col/"onmouseover="window.__pwned=1', None, "=HYPERLINK(\"http://evil\",\"x\")", "通知公告",
         "veto", "=1+1 栏目最近更新于2023-01-01，超过半年未更新",
         {"newest_date": "2023-01-01", "newest_url": "vbscript:msgbox(1)", "window": "6m"}, [33], ALL),
        ("invalid_element", BASE + "/doc?a=1&b=%3Cscript%3E", "索引号", "区住建局", "部门文件", "deduct",
         "《正常文件》索引号不规范", {"value": "11370181004205062X/2023-0001"}, [20], ALL),
        ("missing_element", BASE + "/doc/ctl.html", "成文日期", "区住建局\x0b", "部门\x1f文件", "deduct",
         "《含控制字符\x00\x08的文件》缺少成文日期\ufffe", {"value": "\x0c"}, [20], ALL),
    ]


def as_of_date(month: int) -> dt.date:
    return dt.date.fromisoformat(SCAN_DATES[month])
