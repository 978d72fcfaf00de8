"""A metadata block that names a field in words the crawler does not know: the crawler records the
label it could not read, and 要素缺失 for that document becomes a notice to check by hand, never a
deduction on the crawler's word.  One real crawl of a fixture site over loopback HTTP."""
import pytest
from crawler_helpers import AS_OF, FAST, crawl_into
from fixture_site import Answer, FixtureSite

from audits.runner import audit_scan
from govaudit.core import storage

HOME = """<html><head><title>某区人民政府</title></head><body>
<div class="nav"><ul><li><a href="/col/zcwj/">政策文件</a></li><li><a href="/col/bmwj/">部门文件</a></li>
<li><a href="/col/gfxwj/">规范性文件</a></li></ul></div></body></html>"""

LIST = """<html><head><title>政策文件</title></head><body><h2>政策文件</h2><ul class="list">
<li><a href="/col/zcwj/a.html">关于做好财政资金管理工作的通知</a><span>2023-11-20</span></li>
<li><a href="/col/zcwj/b.html">关于加强预算绩效管理的通知</a><span>2023-11-18</span></li>
</ul></body></html>"""

DOC = """<html><head><title>{title}</title></head><body><h1>{title}</h1>
<table class="xxgk"><tr><td>索引号：</td><td>11370181004205062T/2023-0000001</td><td>发布机构：</td><td>区财政局</td></tr>
<tr><td>主题分类：</td><td>财政</td><td>{label}</td><td>{value}</td></tr>
<tr><td>成文日期：</td><td>2023-11-17</td><td>发布日期：</td><td>2023-11-20</td></tr>
<tr><td>有效性：</td><td>有效</td><td>字号：</td><td>大 中 小</td></tr></table>
<div id="zoom"><p>为进一步做好财政资金管理工作，现将有关事项通知如下。请各单位认真贯彻落实，确保各项工作按时完成。</p></div>
</body></html>"""


@pytest.fixture(scope="module")
def site():
    s = FixtureSite({
        "/": Answer(HOME),
        "/col/zcwj/": Answer(LIST),
        # The 文号 under a name the crawler does not know …
        "/col/zcwj/a.html": Answer(DOC.format(title="关于做好财政资金管理工作的通知", label="文件编码：",
                                              value="章财发〔2023〕12号")),
        # … and a block with no 文号 at all (its fourth row is the page's 字号 tool, not a field).
        "/col/zcwj/b.html": Answer(DOC.format(title="关于加强预算绩效管理的通知", label="", value="")),
    })
    yield s
    s.stop()


@pytest.fixture(scope="module")
def scan(site, tmp_path_factory):
    return crawl_into(tmp_path_factory.mktemp("unread"), site.url, settings={**FAST, "RETRY_TIMES": 0})


def test_the_crawler_records_the_labels_it_could_not_read(site, scan):
    pages = scan.by_url(storage.page)
    assert pages[site.url + "col/zcwj/a.html"]["facts"]["unread_labels"] == [["文件编码", "章财发〔2023〕12号"]]
    assert "unread_labels" not in pages[site.url + "col/zcwj/b.html"]["facts"]      # 字号 is a page tool


def test_a_field_the_block_may_show_under_another_name_is_a_notice_to_check(site, scan):
    doc = audit_scan(scan.engine, scan.scan_id, AS_OF)
    missing = {f["url"]: f for f in doc["findings"] if f["check"] == "missing_element" and f["field"] == "发文字号"}
    unsure, absent = missing[site.url + "col/zcwj/a.html"], missing[site.url + "col/zcwj/b.html"]
    assert unsure["severity"] == "notice"
    assert unsure["message"] == ("《关于做好财政资金管理工作的通知》未识别到发文字号"
                                 "（页面要素中有未能识别的“文件编码”，请人工核对）")
    assert unsure["evidence"]["unread_labels"] == ["文件编码：章财发〔2023〕12号"]
    assert absent["severity"] == "deduct" and absent["message"] == "《关于加强预算绩效管理的通知》缺少发文字号"
