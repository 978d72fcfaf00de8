"""Label/value metadata in every common layout."""
import pytest

from crawler.extract.fields import CANONICAL_FIELDS, FIELD_SYNONYMS, canonical_label, extract_fields
from crawler.extract.html import parse_html

from extract_fixtures import load, wrap


def test_four_cell_table_with_spaced_labels_and_an_empty_value():
    fields, raw = extract_fields(load("doc_xxgk_table.html"))
    assert fields == {
        "索引号": "1137018100420588XX-A/2025-6667894", "主题分类": "综合政务", "发文字号": "章政办发〔2025〕2号",
        "发文机关": "区政府办公室", "成文日期": "2025年7月11日", "发布日期": "2025-07-11", "有效性": "",
    }
    assert ["索 引 号", "1137018100420588XX-A/2025-6667894"] in [r[:2] for r in raw]
    assert ["发布机构", "区政府办公室"] in [r[:2] for r in raw]            # the label as seen, folded to 发文机关


def test_two_cell_rows_with_nbsp_labels_ascii_colon_and_fullwidth_digits():
    fields, raw = extract_fields(load("doc_gov_2cell.html"))
    assert fields["索引号"] == "000014349/2017-00110"
    assert fields["发文机关"] == "国务院办公厅"                 # "发文机关:" ASCII colon
    assert fields["发布日期"] == "２０１７年０６月０８日"          # value exactly as displayed
    assert ["标 题", "国务院办公厅关于加强政府网站信息内容建设的意见"] in [r[:2] for r in raw]
    assert "标题" not in fields


def test_p_strong_layout_ignores_commented_labels_and_body_prose():
    fields, _ = extract_fields(load("doc_p_strong.html"))
    assert fields == {"索引号": "000014348/2020-35147", "发文机关": "邯郸市教育局", "发文字号": "邯教〔2020〕21号",
                      "主题分类": "教育", "发布日期": "2020年08月02日"}
    assert "成文日期" not in fields                           # commented out: not shown, so absent


def test_ul_li_span_layout_with_synonyms_and_inline_markup_in_values():
    fields, _ = extract_fields(load("doc_ul_li_span.html"))
    assert fields == {"索引号": "11370306K21218151R/2026-5565648", "主题分类": "其他", "发文机关": "某县人民政府",
                      "发文字号": "某政发〔2026〕3号", "成文日期": "2026/1/5", "发布日期": "2026.01.08", "有效性": ""}


def test_dl_dt_dd_layout_without_colons():
    fields, _ = extract_fields(load("doc_dl.html"))
    assert fields == {"索引号": "11370181004205062T/2024-4262705", "发文机关": "区财政局", "成文日期": "2024-02-20",
                      "发布日期": "2024-02-22 09:30:00", "有效性": "有效", "主题分类": "财政、金融、审计",
                      "发文字号": ""}


def test_plain_text_runs_with_several_labels_per_line():
    fields, raw = extract_fields(load("doc_plain_text.html"))
    assert fields == {"索引号": "11370181MB2833372X/2024-4262969", "发文机关": "白云湖街道",
                      "发布日期": "２０２４年２月２２日"}
    assert ["浏览次数", "128"] in [r[:2] for r in raw]


@pytest.mark.parametrize("label", ["索引号", "索 引 号", "索&nbsp;引&nbsp;号", "索\u3000引\u3000号", "索 引 号 "])
@pytest.mark.parametrize("colon", ["：", ":", " ：", ""])
def test_spaced_labels_and_colons(label, colon):
    html = wrap(f"<table><tr><td>{label}{colon}</td><td>ABC/2023-1</td></tr>"
                f"<tr><td>发布日期{colon}</td><td>2023-01-02</td></tr></table>")
    fields, _ = extract_fields(html)
    assert fields == {"索引号": "ABC/2023-1", "发布日期": "2023-01-02"}


@pytest.mark.parametrize("label, canonical", sorted(FIELD_SYNONYMS.items()))
def test_every_synonym_folds_to_its_canonical_field(label, canonical):
    html = wrap(f"<div class='info'><p>{label}：值{len(label)}</p><p>索引号：X/2023-1</p></div>")
    fields, raw = extract_fields(html)
    assert fields[canonical] == f"值{len(label)}"
    assert [label, f"值{len(label)}"] in [r[:2] for r in raw]
    assert canonical_label(label + "：") == canonical


def test_canonical_fields_are_the_seven():
    assert set(FIELD_SYNONYMS.values()) == set(CANONICAL_FIELDS)
    assert len(CANONICAL_FIELDS) == 7


def test_div_pairs_and_empty_value_cells():
    html = wrap("""<div class="meta">
      <div class="row"><div class="k">索引号：</div><div class="v">A/2023-1</div></div>
      <div class="row"><div class="k">发文字号：</div><div class="v"></div></div>
      <div class="row"><div class="k">有效性：</div><div class="v">有效</div></div></div>""")
    fields, _ = extract_fields(html)
    assert fields == {"索引号": "A/2023-1", "发文字号": "", "有效性": "有效"}


def test_label_followed_directly_by_another_label_is_empty():
    html = wrap("<ul><li><span>成文日期：</span></li><li><span>发布日期：</span>2023-01-05</li>"
                "<li>索引号：Z/2023-9</li></ul>")
    fields, _ = extract_fields(html)
    assert fields == {"成文日期": "", "发布日期": "2023-01-05", "索引号": "Z/2023-9"}


def test_unknown_labels_end_a_value():
    html = wrap("<div class='small-title'><span>发布日期：2016-11-22</span><span>浏览次数：</span>"
                "<span>信息来源：省发改委</span></div>")
    fields, raw = extract_fields(html)
    assert fields == {"发布日期": "2016-11-22"}
    html = wrap("<p>发布日期：2016-11-22　点击率：35　字号：大 中 小</p>")
    assert extract_fields(html)[0] == {"发布日期": "2016-11-22"}


def test_menu_links_and_list_header_rows_are_not_metadata():
    html = wrap("""<div class="nav"><a href="/a">主题分类</a> <a href="/b">发布机构</a></div>
      <table class="list"><tr><th>名称</th><th>索引号</th><th>发布机构</th><th>发布日期</th></tr>
      <tr><td><a href="/d1.html">某文件</a></td><td>X/2020-1</td><td>某局</td><td>2020-08-05</td></tr></table>""")
    assert extract_fields(html) == ({}, [])


def test_prose_label_in_the_body_is_ignored_when_a_block_exists():
    html = wrap("""<div class="meta"><p>索引号：A/2023-1</p><p>发布日期：2023-05-06</p></div>
      <h1>标题</h1><div id="zoom"><p>发文字号：由各单位自行确定。</p><p>正文内容较长的一段文字。</p></div>""")
    fields, _ = extract_fields(html)
    assert fields == {"索引号": "A/2023-1", "发布日期": "2023-05-06"}


def test_sentence_using_a_label_word_is_not_a_label():
    html = wrap("<div><p>本文件的发布日期为2023年。</p><p>关于主题分类的说明</p></div>")
    assert extract_fields(html) == ({}, [])


def test_hidden_blocks_do_not_count():
    html = wrap("<div style='display:none'><p>索引号：HIDDEN</p><p>发布日期：2020-01-01</p></div>"
                "<div><p>索引号：SHOWN/2023-1</p></div>")
    fields, _ = extract_fields(html)
    assert fields == {"索引号": "SHOWN/2023-1"}


def test_accepts_a_parsed_tree():
    fields, _ = extract_fields(parse_html(load("doc_dl.html")))
    assert fields["发文机关"] == "区财政局"


def test_bracketed_labels_and_unusual_spaces():
    html = wrap("<div class='info'><p>【索引号】X/2023-1</p><p>【发布日期】：2023-01-01</p>"
                "<p>发\u2002文\u2003字\u2002号：章政发〔2023〕1号</p></div>")
    assert extract_fields(html)[0] == {"索引号": "X/2023-1", "发布日期": "2023-01-01", "发文字号": "章政发〔2023〕1号"}
