"""What the district is made of: its units (from the 2023 要点 task table) and their columns.

Data only.  Column entries are ``(key, name, doc_kind, children)``; ``doc_kind`` says what
kind of documents the column holds (see ``sitesim.text``), ``None`` marks a hub.
"""
from __future__ import annotations

DISTRICT = "章丘区人民政府"
DISTRICT_FULL = "济南市章丘区人民政府"
AREA_CODE = "370181"          # 章丘市 at registration; old codes keep the old area code
SITE_ID_CODE = "3701810001"   # 网站标识码
ICP = "鲁ICP备05001883号"
POLICE = "鲁公网安备 37018102000123号"
HOST_NAME = "www.jnzq.gov.cn"
EXTERNAL_HOSTS = ("127.0.0.2", "127.0.0.3")   # other sites it links to (sitesim/external.py)
LIBRARY_CHANNEL = "6389aee73759918282646510"

# name, full name, pinyin initials, suffix, kind, 文号 code (机关代字), org-code prefix,
# list style, metadata layout, label variant, list date format, encoding
UNITS = [
    ("区政府办公室", "济南市章丘区人民政府办公室", "qzfbgs", "b", "department", "章政办字", "00420588", "js_json", "table4", "fbjg", "iso", "utf-8"),
    ("区发改局", "济南市章丘区发展和改革局", "qfgj", "o", "department", "章发改发", "00420512", "trs", "spaced", "fwjg", "iso", "utf-8"),
    ("区教体局", "济南市章丘区教育和体育局", "qjtj", "y", "department", "章教体发", "00420537", "plain", "pstrong", "fbjg", "bracket", "utf-8"),
    ("区财政局", "济南市章丘区财政局", "qczj", "h", "department", "章财发", "00420506", "js_html", "ullispan", "fbjg", "iso", "utf-8"),
    ("区民政局", "济南市章丘区民政局", "qmzj", "af", "department", "章民发", "00420545", "datastore", "dl", "fwdw", "iso", "utf-8"),
    ("区住建局", "济南市章丘区住房和城乡建设局", "qzjj", "ag", "department", "章住建发", "00420553", "js_json", "table4", "fbjg", "iso", "utf-8"),
    ("区卫健局", "济南市章丘区卫生健康局", "qwjj", "al", "department", "章卫健发", "00420561", "trs", "spaced", "fwjg", "cn", "utf-8"),
    ("区自然资源局", "济南市章丘区自然资源局", "qzrzyj", "am", "department", "章自然资源发", "00420578", "plain", "pstrong", "fbjg", "iso", "utf-8"),
    ("区司法局", "济南市章丘区司法局", "qsfj", "b", "department", "章司发", "00420586", "js_html", "ullispan", "fbjg", "slash", "utf-8"),
    ("区大数据局", "济南市章丘区大数据局", "qdsjj", "h", "department", "章大数据发", "MB285169", "datastore", "dl", "fbjg", "iso", "utf-8"),
    ("区人社局", "济南市章丘区人力资源和社会保障局", "qrsj", "o", "department", "章人社发", "00420594", "js_json", "table4", "fwjg", "iso", "utf-8"),
    ("区工信局", "济南市章丘区工业和信息化局", "qgxj", "y", "department", "章工信发", "00420609", "trs", "spaced", "fbjg", "iso", "utf-8"),
    ("区市场监管局", "济南市章丘区市场监督管理局", "qscjgj", "ai", "department", "章市监发", "MB280214", "plain", "pstrong", "fbjg", "iso", "utf-8"),
    ("区文旅局", "济南市章丘区文化和旅游局", "qwlj", "af", "department", "章文旅发", "MB279903", "js_html", "ullispan", "fwdw", "iso", "utf-8"),
    ("区应急局", "济南市章丘区应急管理局", "qyjj", "ag", "department", "章应急发", "MB280078", "datastore", "dl", "ucap", "iso", "utf-8"),
    ("明水街道", "济南市章丘区明水街道办事处", "mxjd", "b", "town", "明水办发", "00420617", "js_json", "table4", "fbjg", "iso", "utf-8"),
    ("双山街道", "济南市章丘区双山街道办事处", "ssjd", "h", "town", "双山办发", "00420625", "datastore", "spaced", "fbjg", "iso", "utf-8"),
    ("白云湖街道", "济南市章丘区白云湖街道办事处", "byhjd", "ai", "town", "白云湖办发", "MB283337", "plain", "table4", "fbjg", "iso", "gbk"),
    ("圣井街道", "济南市章丘区圣井街道办事处", "sjjd", "o", "town", "圣井办发", "00420633", "maxpage", "dl", "std", "iso", "utf-8"),
    ("龙山街道", "济南市章丘区龙山街道办事处", "lsjd", "y", "town", "龙山办发", "00420641", "js_html", "pstrong", "fbjg", "bracket", "utf-8"),
]

# Label the page shows for each canonical field, per variant.  ``fwjg`` pages say 发文机关,
# ``fbjg`` pages say 发布机构, ``fwdw`` pages say 发文单位 and 文号.
LABELS = {
    "fbjg": {"索引号": "索引号", "主题分类": "主题分类", "发文机关": "发布机构", "发文字号": "发文字号",
             "成文日期": "成文日期", "发布日期": "发布日期", "有效性": "有效性"},
    "fwjg": {"索引号": "索引号", "主题分类": "主题分类", "发文机关": "发文机关", "发文字号": "发文字号",
             "成文日期": "成文日期", "发布日期": "发布日期", "有效性": "有效性"},
    "fwdw": {"索引号": "索引号", "主题分类": "分类", "发文机关": "发文单位", "发文字号": "文号",
             "成文日期": "成文日期", "发布日期": "发文日期", "有效性": "时效"},
    # The 政府信息公开目录 metadata standard's names, as ucap (开普云) platforms print them.
    "ucap": {"索引号": "索引号", "主题分类": "分类", "发文机关": "责任部门", "发文字号": "文号",
             "成文日期": "生成日期", "发布日期": "发布日期", "有效性": "有效性"},
    "std": {"索引号": "索引号", "主题分类": "主题分类", "发文机关": "发布单位", "发文字号": "发文字号",
            "成文日期": "形成日期", "发布日期": "发布时间", "有效性": "有效性"},
}
# Units whose document pages also carry a metadata block hidden by the page's own stylesheet
# (all seven labels, empty), and whose policy documents frame their 解读 in an <iframe>.
HIDDEN_META_UNITS = ("区财政局", "区卫健局")
JD_FRAME_UNITS = ("区教体局", "区住建局")
FIELD_ORDER = ("索引号", "主题分类", "发文机关", "发文字号", "成文日期", "发布日期", "有效性")
POLICY_FIELDS = FIELD_ORDER
BASIC_FIELDS = ("索引号", "主题分类", "发文机关", "发布日期")

# The district's own catalogue under /gongkai/.
DISTRICT_COLUMNS = [
    ("guide", "政府信息公开指南", "guide", None),
    ("rules", "政府信息公开制度", "rules", None),
    ("fdzd", "法定主动公开内容", None, [
        ("jgzn", "机构职能", "org", None),
        ("zcwj", "政策文件", None, [
            ("qzfwj", "区政府文件", "policy_gov", None),
            ("qzfbwj", "区政府办公室文件", "policy_office", None),
            ("gfxwj", "行政规范性文件", "policy_norm", None),
            ("bmwj", "部门文件", "aggregate", None),
        ]),
        ("zcjd", "政策解读", "interp", None),
        ("ghxx", "规划信息", "plan", None),
        ("tjxx", "统计信息", "stats", None),
        ("czyjs", "财政预决算", "budget", None),
        ("zdjc", "重大行政决策", None, [
            ("jcml", "决策目录", "catalog", None),
            ("yjzj", "意见征集", "consult", None),
            ("yjfk", "意见反馈", "feedback", None),
        ]),
        ("rsxx", "人事信息", "personnel", None),
        ("shjz", "社会救助", "relief", None),
        ("zdxx", "征地信息", "land", None),
        ("tzgg", "通知公告", "notice", None),
    ]),
    ("nb", "政府信息公开年报", "report", None),
]

# The district's 政策解读 is featured on its 信息公开 home, and its page lists the sub-columns of
# 政策文件 in a sidebar box (sitesim.pages.Pages.sidebar).
SIDEBAR_FEATURED, SIDEBAR_RELATED = "zcjd", "zcwj"

# Extra 法定 columns by unit (only where they fit the unit's duties).
EXTRA_COLUMNS = {
    "区民政局": [("shjz", "社会救助", "relief", None)],
    "区自然资源局": [("zdxx", "征地信息", "land", None)],
    "区应急局": [("tjxx", "统计信息", "stats", None)],
    "区大数据局": [("tjxx", "统计信息", "stats", None)],
    "明水街道": [("shjz", "社会救助", "relief", None), ("zdxx", "征地信息", "land", None)],
    "双山街道": [("shjz", "社会救助", "relief", None)],
    "白云湖街道": [("zdxx", "征地信息", "land", None)],
    "圣井街道": [("zdxx", "征地信息", "land", None), ("shjz", "社会救助", "relief", None)],
    "龙山街道": [("shjz", "社会救助", "relief", None)],
}
WITH_INTERP = {"区教体局", "区人社局", "区住建局", "区民政局", "明水街道"}
WITH_NEWS = {"区教体局", "区文旅局", "区卫健局", "区市场监管局", "明水街道", "双山街道", "龙山街道", "圣井街道"}


def unit_columns(name: str, kind: str) -> list:
    policy_name = "政策文件" if kind == "town" else "部门文件"
    fdzd = [("jgzn", "机构职能", "org", None), ("bmwj", policy_name, "policy_dept", None)]
    if name in WITH_INTERP:
        fdzd.append(("zcjd", "政策解读", "interp", None))
    fdzd.append(("tzgg", "通知公告", "notice", None))
    if name in WITH_NEWS:
        fdzd.append(("gzdt", "工作动态", "news", None))
    fdzd += [("ghxx", "规划信息", "plan", None), ("rsxx", "人事信息", "personnel", None),
             ("czyjs", "财政预决算", "budget", None)]
    fdzd += EXTRA_COLUMNS.get(name, [])
    return [
        ("guide", "信息公开指南", "guide", None),
        ("rules", "信息公开制度", "rules", None),
        ("fdzd", "法定主动公开内容", None, fdzd),
        ("nb", "政府信息公开年报", "report", None),
    ]


# The portal (Hanweb JCMS) columns: key, name, Hanweb column id, doc kind, children.
PORTAL_COLUMNS = [
    ("zqyw", "章丘要闻", 73496, "portal_news", None),
    ("bmdt", "部门动态", 73497, "portal_dept", None),
    ("zjdt", "镇街动态", 73498, "portal_town", None),
    ("tzgg", "通知公告", 73499, "portal_notice", None),
    ("ztzl", "专题专栏", 73500, None, [
        ("yqfk", "疫情防控专题", 73501, "portal_covid", None),
    ]),
]
