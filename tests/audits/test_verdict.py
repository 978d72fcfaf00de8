"""The verdict from stored snapshots: 单项否决 tags agree with the vetoes, and a scan that read too
little is 无法评价 (thresholds in defaults.yaml, overridable), never 合格."""
from tests.audits.conftest import POLICY_FIELDS, SITE, SnapshotBuilder
from tests.audits.test_runner import small_site

AS_OF = "2023-11-30"


def _stale(site, n, name="工作动态", date="2023-10-01", prefix="dt"):
    for i in range(n):
        col = f"http://site.test/c/{prefix}{i}/"
        site.column(col, name, unit="区教体局").item(col, f"http://site.test/d/{prefix}{i}", date=date)


def _severities(doc, check):
    return {f["url"]: f["severity"] for f in doc["findings"] if f["check"] == check}


def test_personnel_columns_are_veto_only_when_a_veto_counts_them(site):
    # 5 stale 动态 columns reach V4(a); a stale 人事 column counts only toward V4(b) (>= 10).
    small_site(site, blank=1, stale_dates=())
    _stale(site, 5)
    _stale(site, 1, name="人事信息", date="2022-01-01", prefix="rs")
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "不合格"
    assert doc["verdict"]["vetoes"] == ["动态要闻、通知公告、政策文件类栏目不更新5个（达到5个即单项否决）"]
    stale = _severities(doc, "stale_column")
    assert stale.pop("http://site.test/c/rs0/") == "deduct"
    assert set(stale.values()) == {"veto"} and len(stale) == 5
    # one blank column is below V4(c): a deduction, not 单项否决
    assert set(_severities(doc, "empty_column").values()) == {"deduct"}
    # Every finding tagged veto is counted by a veto the verdict names, and the other way round.
    assert sum(f["severity"] == "veto" for f in doc["findings"]) == 5


def test_personnel_columns_are_veto_when_v4b_is_reached(site):
    small_site(site, blank=0, stale_dates=())
    _stale(site, 5)
    _stale(site, 5, name="人事信息", date="2022-01-01", prefix="rs")
    doc = site.audit(AS_OF)
    assert "应更新栏目未更新10个（达到10个即单项否决）" in doc["verdict"]["vetoes"]
    assert set(_severities(doc, "stale_column").values()) == {"veto"}


def test_below_every_threshold_nothing_is_tagged_veto(site):
    small_site(site, blank=2, stale_dates=["2023-10-01"] * 2)
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "合格" and doc["verdict"]["vetoes"] == []
    assert not any(f["severity"] == "veto" for f in doc["findings"])


def test_severity_settings_decide_what_vetoes(site):
    small_site(site, blank=5, stale_dates=())
    demoted = site.audit(AS_OF, {"severity": {"empty_column": "deduct"}})
    assert demoted["verdict"]["result"] == "合格"
    assert set(_severities(demoted, "empty_column").values()) == {"deduct"}
    raised = site.audit(AS_OF, {"severity": {"broken_link": "veto"}})
    broken = next(f for f in raised["findings"] if f["check"] == "broken_link")
    assert broken["severity"] == "veto" and broken["message"] in raised["verdict"]["vetoes"]


# ---- 无法评价 ------------------------------------------------------------------------------------

def _column_pages(site, ok: int, failed: int):
    for i in range(ok):
        site.page(f"http://site.test/c/ok{i}/", kind="column", status=200)
    for i in range(failed):
        site.page(f"http://site.test/c/dead{i}/", kind="column", status=404 if i % 2 else None)


def test_most_column_pages_failed_is_unassessable_and_the_share_is_a_setting(site):
    small_site(site)
    _column_pages(site, ok=1, failed=3)
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "无法评价" and doc["verdict"]["score_estimate"] is None
    assert "栏目及列表页面4个中3个无法访问（75%）" in doc["verdict"]["reason"]
    relaxed = site.audit(AS_OF, {"scoring.assessable.max_failed_list_share": 0.8})
    assert relaxed["verdict"]["result"] == "合格" and "reason" not in relaxed["verdict"]
    assert isinstance(relaxed["verdict"]["score_estimate"], float)


def test_most_lists_unread_is_unassessable_and_an_unread_list_is_no_blank_column(site):
    # A platform whose lists a script loads from endpoints the crawler could not read (jpaas, EWB).
    small_site(site)
    for i in range(5):
        site.column(f"http://site.test/c/js{i}/", f"通知公告{i}", unit="区教体局", list_style="unknown")
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "无法评价", doc["verdict"]
    assert "政务公开栏目9个中5个的列表由脚本加载或无法识别、未能读取（56%）" in doc["verdict"]["reason"]
    assert not [f for f in doc["findings"] if f["check"] == "empty_column" and "/c/js" in f["url"]]
    relaxed = site.audit(AS_OF, {"scoring.assessable.max_unread_list_share": 0.6})
    assert relaxed["verdict"]["result"] == "合格"


def test_no_documents_is_unassessable_unless_a_veto_is_found(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    for i in range(3):
        site.column(f"http://site.test/c/blank{i}/", f"行政处罚{i}", unit="区教体局")
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "无法评价" and "未读取到任何文件" in doc["verdict"]["reason"]
    for i in range(3, 5):
        site.column(f"http://site.test/c/blank{i}/", f"行政处罚{i}", unit="区教体局")
    found = site.audit(AS_OF)
    assert found["verdict"]["result"] == "不合格" and "reason" not in found["verdict"]
    assert "未读取到任何文件" in found["verdict"]["note"]


def test_a_site_without_any_gongkai_column_is_not_a_gongkai_site(engine):
    site = SnapshotBuilder(engine)
    site.column(SITE, "首页", section="homepage", kind="homepage")
    for i in range(5):     # even five blank columns: the page is not what govaudit audits
        site.column(f"http://site.test/c/p{i}/", f"栏目{i}", section="portal")
    site.listed_doc("http://site.test/c/p0/", "http://site.test/d/1", "文章", fields={"发布日期": "2023-11-20"})
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "无法评价" and "不是政务公开网站" in doc["verdict"]["reason"]
    # A --column scan of one portal column is judged: the user chose what to look at.
    scoped = SnapshotBuilder(engine, scope_column="http://site.test/c/p1/")
    scoped.column("http://site.test/c/p1/", "要闻", section="portal")
    scoped.listed_doc("http://site.test/c/p1/", "http://site.test/d/2", "文章", date="2023-11-28",
                      fields={**POLICY_FIELDS, "发布日期": "2023-11-28"})
    assert scoped.audit(AS_OF)["verdict"]["result"] == "合格"


def test_a_capped_crawl_is_partial_and_not_judged_pass(engine):
    site = small_site(SnapshotBuilder(engine, status="incomplete", stats={"page_cap": 150, "page_cap_reached": True}))
    doc = site.audit(AS_OF)
    assert doc["inventory"]["partial"] is True
    assert doc["inventory"]["partial_reason"] == "抓取达到页面数上限（150个页面）后停止，本次检查未完成"
    assert doc["verdict"]["result"] == "无法评价" and doc["verdict"]["reason"] == doc["inventory"]["partial_reason"]
    # found is found: a veto on the part that was read still makes it 不合格
    vetoed = small_site(SnapshotBuilder(engine, status="incomplete", stats={"page_cap": 150}), blank=5)
    doc = vetoed.audit(AS_OF)
    assert doc["verdict"]["result"] == "不合格" and doc["inventory"]["partial"] is True
    assert "抓取达到页面数上限" in doc["verdict"]["note"]


def test_an_unassessable_scan_is_never_compared(engine, tmp_path):
    """A scan that read nothing would make every earlier finding look 已整改: it is not compared,
    and it is never the base of a later comparison."""
    from govaudit.core import scans
    from govaudit.report import write_reports

    first = small_site(SnapshotBuilder(engine), blank=2)
    first.audit(AS_OF)
    empty = SnapshotBuilder(engine)
    assert empty.audit(AS_OF)["verdict"]["result"] == "无法评价"
    assert scans.previous_scan_id(engine, empty.scan_id) == first.scan_id
    paths = write_reports(engine, empty.scan_id, tmp_path / "empty")
    html = paths["report.html"].read_text(encoding="utf-8")
    compare = html.split('id="compare"')[1].split("</section>")[0]
    assert "不与以往检查对比" in compare and "已整改<strong>" not in compare
    later = small_site(SnapshotBuilder(engine), blank=1)
    later.audit(AS_OF)
    assert scans.previous_scan_id(engine, later.scan_id) == first.scan_id


def test_vetoes_that_say_the_same_are_one_reason_counted():
    """Two hidden links to one gambling host give one message (it names the host): the 通报
    names that 单项否决 once, with how many places, not the same sentence twice."""
    from audits.config import merged_config
    from audits.model import Finding
    from audits.scoring import settle_vetoes
    said = "页面含涉赌涉黄暗链（display:none）：www.bet.example"
    findings = [Finding("hidden_link", "http://www.bet.example/", said, severity="veto"),
                Finding("hidden_link", "http://www.bet.example/zc.html", said, severity="veto"),
                Finding("hidden_link", "http://other.example/", "页面含涉赌涉黄暗链（font-size:0）：other.example",
                        severity="veto")]
    assert settle_vetoes(findings, merged_config()) == [f"{said}（2处）",
                                                      "页面含涉赌涉黄暗链（font-size:0）：other.example"]
    assert [f.severity for f in findings] == ["veto"] * 3


def test_every_deduct_check_has_a_weight_in_the_estimate():
    """A finding the report counts as 扣分项 must appear in its 扣分明细: each check of severity
    deduct is an indicator of scoring.deductions (broken_link as its homepage/other pair)."""
    from audits.config import merged_config
    from audits.registry import all_rules
    weights = merged_config({})["scoring"]["deductions"]
    for r in all_rules():
        if r.severity == "deduct":
            assert r.id in weights or f"{r.id}_homepage" in weights, f"{r.id}: no weight in scoring.deductions"


def test_the_policy_column_deduction_is_for_policy_columns_not_notices(site):
    """D1 deducts 5 points for a 政策文件类 column not updated in six months; a 通知公告 column shares
    that window but is an ordinary stale column (0.5 points)."""
    site.unit("区教体局", kind="department", home_url="http://site.test/jtj/")
    for url, name in (("http://site.test/c/tzgg/", "通知公告"), ("http://site.test/c/zcwj/", "政策文件")):
        site.column(url, name, unit="区教体局").item(url, url + "1", date="2023-03-01")
    doc = site.audit(AS_OF)
    parts = {d["indicator"]: d["count"] for d in doc["verdict"]["deductions"]}
    assert parts.get("stale_policy_column") == 1 and parts.get("stale_column") == 1


def test_the_verdict_on_what_it_reads_of_each_finding_is_the_verdict_on_the_findings():
    """audit_scan judges slim copies (scoring.scored): every evidence key the verdict reads is kept."""
    import copy

    from audits.config import merged_config
    from audits.model import Finding
    from audits.scoring import penalised_columns, scored, verdict

    def stale(i, klass, top):
        return Finding("stale_column", f"{SITE}s{i}/", f"栏目{i}未更新", severity="veto",
                       evidence={"class": klass, "top_level": top, "policy": klass == "notice_policy", "n": i})
    findings = [*(stale(i, "dynamic", True) for i in range(3)), *(stale(i, "notice_policy", i % 2 == 0) for i in range(3, 7)),
                Finding("stale_column", f"{SITE}p/", "人事", severity="veto", evidence={"class": "personnel"}),
                Finding("empty_column", f"{SITE}e/", "空白", severity="veto"),
                Finding("stale_homepage", SITE, "首页", severity="veto", evidence={"newest_date": "2023-01-02"}),
                Finding("broken_link", f"{SITE}x", "断链", evidence={"on_homepage": True}),
                Finding("broken_link", f"{SITE}y", "断链", evidence={"on_homepage": False}),
                Finding("missing_element", f"{SITE}s0/", "缺要素", field="索引号"),
                Finding("hidden_link", f"{SITE}z", "暗链：bad.example", severity="veto")]
    config = merged_config({})
    whole = copy.deepcopy(findings)
    slim = [scored(f, penalised_columns(findings)) for f in findings]
    assert verdict(slim, config) == verdict(whole, config)
    assert [f.severity for f in slim] == [f.severity for f in whole]
    assert {f.severity for f in whole} >= {"veto", "deduct"}          # the vetoes settled both ways
    # URLs are kept only where R1.4 reads them: the missing element on a stale column still counts once
    assert [f.url for f in slim if f.check in ("broken_link", "hidden_link")] == ["", "", ""]
    assert next(f.url for f in slim if f.check == "missing_element") == f"{SITE}s0/"
    assert "missing_element" not in {d["indicator"] for d in verdict(whole, config)["deductions"]}
