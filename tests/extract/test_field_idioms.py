"""Field labels as real CMSs print them: the metadata standard's synonyms, a bare 时间： date
line, labels hidden by the page's own styles, any whitespace inside a label."""
import pytest

from crawler.extract.document import extract_document
from crawler.extract.fields import extract_fields

from extract_fixtures import wrap
from realpage import real_page


def test_ucap_block_reads_shengcheng_riqi_and_zeren_bumen_with_their_raw_labels():
    facts = extract_document("", real_page("www.wanzai.gov.cn/tjsja_2022_72153801.html"))
    assert facts.fields["成文日期"] == "2023-05-11"          # 生成日期 (metadata standard)
    assert facts.fields["发文机关"] == "万载县统计局"          # 责任部门
    assert ["生成日期", "2023-05-11", "成文日期", "生成日期："] in facts.fields_raw
    assert ["责任部门", "万载县统计局", "发文机关", "责任部门："] in facts.fields_raw
    assert ["公开方式", "主动公开", None, "公开方式："] in facts.fields_raw


def test_more_names_that_catalogue_platforms_give_the_fields():
    html = wrap("<table class='xxgk'><tr><td>索引号：</td><td>X/2023-1</td><td>发文部门：</td><td>某区财政局</td></tr>"
                "<tr><td>文件编号：</td><td>某财发〔2023〕3号</td><td>公开日期：</td><td>2023-05-02</td></tr></table>")
    fields, raw = extract_fields(html)
    assert fields == {"索引号": "X/2023-1", "发文机关": "某区财政局", "发文字号": "某财发〔2023〕3号",
                      "发布日期": "2023-05-02"}
    assert ["公开日期", "2023-05-02", "发布日期", "公开日期："] in raw


def test_a_unix_time_a_script_shows_as_a_date_is_that_day():
    """国家税务总局 (tests/realpages): 成文日期:<span id="data">1382860800000</span>, written out as
    2013-10-27 by the page's script; the field keeps what the HTML says."""
    facts = extract_document("", real_page("www.chinatax.gov.cn/caishui_2013_81.html"))
    assert facts.fields["成文日期"] == "1382860800000" and facts.written_date == "2013-10-27"


def test_a_search_forms_filter_is_no_field():
    """全国公共资源交易平台 (tests/realpages): 发布时间： beside a search form's date inputs and its
    当天 / 近三天 choices names a filter, not the document's 发布日期."""
    html = wrap("<form id='FIND'><div class='choose'><span>发布时间：</span><ul><span><input type='text' name='b'></span>"
                "<li><a href='javascript:;'>当天</a></li><li><a href='javascript:;'>近三天</a></li></ul></div></form>"
                "<h1>关于某事项的通知</h1><div id='zoom'>" + "正文内容。" * 40 + "</div>")
    assert "发布日期" not in extract_fields(html)[0]
    # a metadata table inside a page-wide <form> (ASP.NET) is still read
    aspnet = wrap("<form id='form1'><input type='hidden' name='__VIEWSTATE' value='x'><table><tr><td>发布日期：</td>"
                  "<td>2023-05-02</td></tr><tr><td>索引号：</td><td>X/2023-1</td></tr></table></form>")
    assert extract_fields(aspnet)[0] == {"发布日期": "2023-05-02", "索引号": "X/2023-1"}


def test_a_bare_shijian_date_line_is_the_publication_date():
    facts = extract_document("", real_page("www.shanxi.gov.cn/t20190918_693227.html"))
    assert facts.fields == {"发布日期": "2019-09-18 06:23"}
    assert facts.publish_date == "2019-09-18"
    assert ["时间", "2019-09-18 06:23", "发布日期", "时间："] in facts.fields_raw


def test_a_shijian_inside_the_body_or_beside_a_fabu_riqi_label_is_not_the_publication_date():
    prose = wrap("<h1>关于某事项的通知</h1><div id='zoom'><p>" + "正文内容。" * 40 + "</p>"
                 "<p>时间：2023年5月1日上午九点</p></div>")
    assert "发布日期" not in extract_fields(prose)[0]
    both = wrap("<div class='info'><span>发布日期：2023-05-02</span> <span>时间：2023-06-01</span></div>")
    fields, raw = extract_fields(both)
    assert fields == {"发布日期": "2023-05-02"}
    assert ["时间", "2023-06-01", None, "时间："] in raw


@pytest.mark.parametrize("hide", [
    "<style>.gk-hide{display:none}</style>", "<style>#meta2 { visibility : hidden; }</style>",
    "<style>dl.gk-hide{color:red;display:none !important}</style>",
    # AngularJS's own sheet starts with an at-statement before the rule (the nfra.gov.cn pages)
    '<style>@charset "UTF-8";[ng\\:cloak],.ng-cloak,.gk-hide{display:none !important;}</style>'])
def test_labels_in_a_block_hidden_by_the_pages_own_style_are_not_shown(hide):
    html = wrap("<dl class='gk-hide' id='meta2'><dd>发文字号：</dd><dd>成文日期：2020-01-01</dd></dl>"
                "<div class='info'><p>索引号：X/2023-1</p><p>发布日期：2023-05-02</p></div>", head=hide)
    fields, _ = extract_fields(html)
    assert fields == {"索引号": "X/2023-1", "发布日期": "2023-05-02"}


def test_print_styles_and_an_inline_display_block_do_not_hide():
    html = wrap("<div class='info' style='display: block'><p>索引号：X/2023-1</p><p>发布日期：2023-05-02</p></div>",
                head="<style>@media print { .info2 {display:none} } .info{display:none}</style>")
    assert extract_fields(html)[0] == {"索引号": "X/2023-1", "发布日期": "2023-05-02"}


def test_an_empty_value_does_not_swallow_the_next_label():
    html = wrap("<table><tr><td>发文字号：</td><td>生效时间：</td></tr>"
                "<tr><td>索引号：</td><td>X/2023-1</td></tr><tr><td>发布日期：</td><td>2023-05-02</td></tr></table>")
    fields, _ = extract_fields(html)
    assert fields == {"发文字号": "", "索引号": "X/2023-1", "发布日期": "2023-05-02"}


@pytest.mark.parametrize("space", ["\u2002", "\u3000", "&nbsp;", " "])
@pytest.mark.parametrize("colon", ["：", ":"])
def test_any_whitespace_inside_a_label_and_either_colon(space, colon):
    html = wrap(f"<div class='info'><p>发{space}布{space}单{space}位{colon}某县统计局</p>"
                f"<p>形成日期{colon}2023-01-02</p></div>")
    assert extract_fields(html)[0] == {"发文机关": "某县统计局", "成文日期": "2023-01-02"}


def test_a_meta_never_stands_in_for_a_visible_field():
    facts = extract_document("", real_page("www.wanzai.gov.cn/tjsja_2022_72153801.html"))
    assert facts.metas.get("PubDate") and "发布日期" not in facts.fields and facts.publish_date is None


def test_bracketed_lines_under_the_title_with_shi_fou_you_xiao_and_their_brackets_kept_in_the_raw_label():
    # 国家税务总局山西省税务局 最新文件: 【文  号】… / 【成文日期】… / 【是否有效】 全文有效 under the
    # title, while the page's 索引号 table is display:none with empty values.
    facts = extract_document("", real_page("shanxi.chinatax.gov.cn/zcwj_2021_ybgz_tongzhi.html"))
    assert facts.fields["发文字号"] == "晋医保发〔2021〕14号"
    assert facts.fields["成文日期"] == "2021-07-28"
    assert facts.fields["有效性"] == "全文有效"                       # 是否有效
    assert "索引号" not in facts.fields                               # hidden block
    labels = {raw for _l, _v, _c, raw in facts.fields_raw}
    assert {"【文 号】", "【成文日期】", "【是否有效】"} <= labels          # &ensp; runs collapsed


def test_suoshu_zhuti_yinfa_riqi_and_chansheng_riqi_in_strong_label_lines():
    """A 信息公开 platform's <p><strong>label：</strong>value</p> lines (black-box probe), with
    full-width spaces inside labels: 所属主题 is the 主题分类; 印发日期 (Hanweb 政策文件 pages print
    发布日期 / 印发日期) and the 公开目录 编制 rules' 产生日期 are the 成文日期.  Read as unknown
    labels, a policy document showing all seven 要素 was reported 缺少主题分类 / 成文日期, and a
    印发日期 after the 发布时间 went unnoticed."""
    lines = [("索　引　号", "11370215MB1928374F/2023-00017"), ("所属主题", "综合政务\\其他"),
             ("发布单位", "西岭区人民政府"), ("印发日期", "2023-11-06"), ("发　文　号", "西政办发〔2023〕21号"),
             ("发布时间", "2023-11-08"), ("有　效　性", "有效"), ("信息来源", "西岭区人民政府")]
    html = wrap('<div class="xxgk-info">' + "".join(f"<p><strong>{k}：</strong>{v}</p>" for k, v in lines)
                + "</div><h1>关于印发某方案的通知</h1><div id='zoom'>" + "正文内容。" * 40 + "</div>")
    fields, raw = extract_fields(html)
    assert fields == {"索引号": "11370215MB1928374F/2023-00017", "主题分类": "综合政务\\其他", "发文机关": "西岭区人民政府",
                      "成文日期": "2023-11-06", "发文字号": "西政办发〔2023〕21号", "发布日期": "2023-11-08",
                      "有效性": "有效"}
    # the first line of the block may be the one that was unknown
    fields = extract_fields(html.replace("<p><strong>索　引　号：</strong>11370215MB1928374F/2023-00017</p>", ""))[0]
    assert fields["主题分类"] == "综合政务\\其他"
    table = wrap("<table><tr><td>产生日期：</td><td>2023-05-02</td><td>发布机构：</td><td>某区财政局</td></tr></table>")
    assert extract_fields(table)[0] == {"成文日期": "2023-05-02", "发文机关": "某区财政局"}
