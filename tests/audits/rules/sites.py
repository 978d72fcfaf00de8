"""Site shapes the tests of several rules build on (a policy library, 年报 columns, documents
and their 解读); each rule's own cases are in its test_<id>.py."""
from tests.audits.conftest import POLICY_FIELDS

POLICY = "http://site.test/c/qzfwj/"
NOTICE = "http://site.test/c/tzgg/"
NB = "http://site.test/c/nb/"
HEADINGS = ("一、总体情况 " + "正文" * 100 + " 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
            "四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项")
GFX = "http://site.test/c/gfxwj/"
QZF = "http://site.test/c/qzfwj/"
JD = "http://site.test/c/zcjd/"
DOC = "http://site.test/d/1"
JDDOC = "http://site.test/jd/1"
TITLE = "关于印发章丘区某某管理办法的通知"


def policy_site(site):
    site.column("http://site.test/c/zcwj/", "政策文件", kind="hub", is_leaf=False)
    site.column(POLICY, "区政府文件", parent="http://site.test/c/zcwj/")
    site.column(NOTICE, "通知公告", unit="区教体局")
    return site


def annual_site(site):
    site.unit("区教体局", kind="department").unit("济南市章丘区人民政府", kind="district")
    site.column(NB, "政府信息公开年报", unit="区教体局")
    return site


def base(site):
    site.column(GFX, "行政规范性文件")
    site.column(QZF, "区政府文件")
    site.column(JD, "政策解读")
    return site


def policy(site, url=DOC, title=TITLE, column=GFX, **fields):
    return site.listed_doc(column, url, title, fields={**POLICY_FIELDS, **fields})


def interpretation(site, url=JDDOC, title=f"《{TITLE}》政策解读", date="2023-05-08"):
    return site.listed_doc(JD, url, title, fields={"索引号": "x", "发文机关": "区司法局", "发布日期": date},
                           is_interpretation=True)
