"""严重表述错误 (serious_wording_error): its cases on hand-built snapshots."""
import pytest

from audits.rules.serious_wording_error import _present
from audits.wording import Matcher

AS_OF = "2023-11-30"
COL = "http://site.test/c/dt/"


def _doc(site, n, body, title="工作动态", date="2023-05-06"):
    site.listed_doc(COL, f"http://site.test/d/{n}", title, fields={"发布日期": date}, body_text=body)


def _found(site, **overrides):
    return {(f.url.rsplit("/", 1)[1], f.field): f for f in site.findings("serious_wording_error", AS_OF, **overrides)}


def test_leader_state_and_phrase_variants_are_found_with_their_sentence(site):
    site.column(COL, "工作动态")
    _doc(site, 1, "会议传达学习了总书记习进平重要讲话精神。")
    _doc(site, 2, "庆祝中华人民共合国成立74周年。")
    _doc(site, 3, "深入推进全面从严治当，持续开展扫黑险恶专项斗争。")
    _doc(site, 4, "会议传达学习了习近平总书记重要讲话精神，庆祝中华人民共和国成立，全面从严治党，扫黑除恶。")
    found = _found(site)
    leader = found[("1", "习进平")]
    assert leader.severity == "veto" and leader.evidence["expected"] == "习近平"
    assert leader.evidence["rule"] == "同音字" and "总书记习进平重要讲话" in leader.evidence["sentence"]
    assert found[("2", "中华人民共合国")].severity == "veto"
    assert found[("3", "全面从严治当")].severity == "deduct"
    assert found[("3", "扫黑险恶")].evidence["rule"] == "经核对的错误写法"
    assert not [k for k in found if k[0] == "4"], "the right forms are not errors"


def test_guards_other_words_corrections_exempt_pages_and_allow_list(site):
    site.column(COL, "工作动态")
    _doc(site, 1, "行政服务中心推进政务公告和政务公开工作，安全生活。")     # 政服, 政务公告 are other words
    _doc(site, 2, "原文中“攻府”应为“政府”，特此更正。")                   # a sentence correcting itself
    _doc(site, 3, "近期发现部分网站将政府写成攻府。", title="关于网站错敏信息的通报")  # a 通报 page
    _doc(site, 4, "攻府工作报告。")
    _doc(site, 5, "会议传达学习了总书记习进平的重要讲话精神。", title="区教体局关于校园安全情况的通报")
    _doc(site, 6, "近期发现部分网站将政府写成攻府。", title="关于2023年第三季度全区政府网站检查情况的通报")
    assert set(_found(site)) == {("4", "攻府"), ("5", "习进平")}, "a 情况通报 of other work is checked"
    assert set(_found(site, **{"wording.allow": ["攻府"]})) == {("5", "习进平")}


def test_site_names_are_learnt_and_profile_leaders_added(site):
    site.unit("明水街道", kind="town").unit("济南市章丘区人民政府", kind="district")
    site.column(COL, "工作动态")
    _doc(site, 1, "明水街到办事处组织开展文明城市创建。")
    _doc(site, 2, "区委书记刘强东同志出席会议。")
    _doc(site, 3, "明水街道、济南市章丘区人民政府，区委书记刘强同志。")
    leaders = [{"name": "刘强", "title": "区委书记", "valid_from": "2021-01-01", "valid_to": None},
               {"name": "杜家毫", "title": "省委书记", "valid_from": "2017-01-01", "valid_to": None}]
    _doc(site, 5, "省委书记杜家豪到我区调研。")
    found = _found(site, **{"wording.extra_leaders": leaders})
    assert found[("1", "明水街到")].severity == "notice"
    assert found[("5", "杜家豪")].severity == "veto"
    assert not [k for k in found if k[0] in ("2", "3")]


def test_renamed_agency_only_after_the_reform_and_titles_by_publish_date(site):
    site.column(COL, "工作动态")
    _doc(site, 1, "区国土资源局开展土地执法检查。", date="2023-05-06")
    _doc(site, 2, "区国土资源局开展土地执法检查。", date="2017-05-06")
    _doc(site, 3, "原国土资源局的职责划入区自然资源局。", date="2023-05-06")
    _doc(site, 4, "国务院总理李克强主持召开国务院常务会议。", date="2023-10-06")
    _doc(site, 5, "国务院总理李克强主持召开国务院常务会议。", date="2020-10-06")
    found = _found(site)
    assert found[("1", "国土资源局")].evidence["expected"] == "自然资源局"
    assert found[("1", "国土资源局")].severity == "notice"
    assert found[("4", "国务院总理李克强")].evidence["rule"] == "职务与发布日期不符"
    assert set(found) == {("1", "国土资源局"), ("4", "国务院总理李克强")}


def test_the_one_pass_search_finds_what_substring_searches_find():
    words = ("国土资源局", "资源局", "习近平", "近平", "李强", "")
    for text in ("区国土资源局发布", "习近平总书记", "李强", "无关内容", ""):
        assert _present(text, words) == {w for w in words if w in text}
        assert Matcher([], [], watch=words).scan_and_watch(text)[1] == {w for w in words if w and w in text}


def test_the_inline_pretests_drop_no_variant_that_the_window_check_finds(monkeypatch):
    """Texts full of half terms, variants (one character substituted or dropped) and exact terms:
    the scan with the inline pre-tests finds exactly what it finds without them."""
    import random

    from audits.wording import Term, data

    d = data()
    terms = [Term(t, "phrase") for t in d["phrases"]["terms"]] + [Term("章丘区人民政府", "organ"),
                                                                  Term("安全生产", "phrase")]
    m = Matcher(terms, [], min_pinyin=3, min_edit=4, watch=("国土资源局",))
    rng = random.Random(15)
    filler = "的和在区镇局工作会议推进开展政务安全生产人民政府质量发展"
    pieces = []
    for t in (t.text for t in terms if len(t.text) >= 4):
        i = rng.randrange(len(t))
        pieces += [t, t[:len(t) // 2], t[len(t) // 2:], t[:i] + rng.choice(filler) + t[i + 1:],
                   t[:max(1, i)] + t[max(1, i) + 1:]]
    texts = ["".join(rng.choice(pieces) + rng.choice(filler) * rng.randrange(3) for _ in range(40))
             for _ in range(300)]
    with_pretests = [m.scan_and_watch(t) for t in texts]
    monkeypatch.setattr(Matcher, "_may_follow", staticmethod(lambda *a: True))
    monkeypatch.setattr(Matcher, "_may_precede", staticmethod(lambda *a: True))
    without = [m.scan_and_watch(t) for t in texts]
    assert with_pretests == without
    assert sum(len(h) for h, _ in without) > 100, "the texts must hold variants for the test to mean anything"


@pytest.mark.parametrize("correct, wrong, form", [
    # 一窗通办 (综合窗口改革) and 一网统管 are slogans of their own, not miswritten 一网通办.
    ("县政务服务中心全面推行“一窗通办”服务模式，推进“一网统管”。", "全面推行一往通办。", "一往通办"),
    # 区委全面依法治区委员会 is every district's own committee, not a miswritten 全面依法治国.
    ("经区委全面依法治区委员会同意，持续深化全面依法治区，推进全面依法治县示范创建。", "坚持全面依法治图。", "全面依法治图"),
    # The courts' and the police's own strictness slogans.
    ("区人民法院坚持全面从严治党、全面从严治院，区公安分局坚持全面从严治警。", "坚持全面从严治挡。", "全面从严治挡"),
])
def test_established_terms_one_character_from_a_protected_term_are_not_variants(site, correct, wrong, form):
    site.column(COL, "工作动态")
    _doc(site, 1, correct)
    _doc(site, 2, wrong)
    assert set(_found(site)) == {("2", form)}


def test_a_report_naming_its_quoted_forms_errors_does_not_commit_them(site):
    # A 政务公开 检查通报 (not on websites by title) lists the wrong forms it found, as errors.
    site.column(COL, "通知公告")
    title = "关于2023年第三季度全区政务公开工作检查情况的通报"
    _doc(site, 1, "个别单位发布的信息中出现“中华人民共合国”“扫黑险恶”等错别字，个别单位仍使用“区安监局”等机构改革前的旧称。"
                  "庆祝中华人民共合国成立74周年。", title=title)
    found = _found(site)
    assert set(found) == {("1", "中华人民共合国")}
    assert found[("1", "中华人民共合国")].evidence["sentence"] == "庆祝中华人民共合国成立74周年。"


def test_a_name_like_a_leaders_is_a_veto_only_where_the_sentence_speaks_of_the_leader(site):
    # 李战书 and 丁学祥 are homophones of 栗战书 and 丁薛祥, and ordinary given names.
    site.column(COL, "工作动态")
    _doc(site, 1, "优秀共产党员（10名）：王建国、李战书、张秀英、刘海峰。")
    _doc(site, 2, "区委书记王振宁主持会议，区政协主席丁学祥出席。")
    _doc(site, 3, "坚持以习进平新时代中国特色社会主义思想为指导。")
    _doc(site, 4, "习进平在第三届“一带一路”国际合作高峰论坛开幕式上发表主旨演讲。")
    found = _found(site)
    assert found[("1", "李战书")].severity == "notice" and found[("2", "丁学祥")].severity == "notice"
    assert found[("3", "习进平")].severity == "veto" and found[("4", "习进平")].severity == "veto"


def test_a_history_prefix_before_a_longer_title_covers_the_shorter_one_inside_it(site):
    # 总理 (a row of its own) lies inside 国务院总理: 原 before the longer title makes both history.
    site.column(COL, "工作动态")
    _doc(site, 1, "原国务院总理李克强同志逝世。2015年时任国务院总理李克强来济南考察。", date="2023-11-02")
    _doc(site, 2, "国务院总理李克强主持召开国务院常务会议。", date="2023-11-02")
    found = _found(site)
    assert set(found) == {("2", "国务院总理李克强")}


def test_a_homophone_slip_in_a_long_phrase_is_found_even_where_it_makes_a_word(site):
    # 主意 and 廉正 are words, but 中国特色社会主意 and 党风廉正建设 are slips of the input method.
    site.column(COL, "工作动态")
    _doc(site, 1, "专题学习习近平新时代中国特色社会主意思想。")
    _doc(site, 2, "深入推进党风廉正建设。")
    _doc(site, 3, "推进政务公告和政务公开工作。")                         # short term: 政务公告 is a word of its own
    found = _found(site)
    assert set(found) == {("1", "中国特色社会主意"), ("2", "党风廉正建设")}
    assert found[("1", "中国特色社会主意")].evidence["rule"] == "同音字"


def test_a_title_of_a_numbered_past_session_is_history(site):
    # 第十三届全国人大常委会委员长栗战书: the session's ordinal dates the title, like 原 or 时任.
    site.column(COL, "工作动态")
    _doc(site, 1, "第十三届全国人大常委会委员长栗战书在山东调研。", date="2023-11-02")
    _doc(site, 2, "全国人大常委会委员长栗战书在山东调研。", date="2023-11-02")
    assert set(_found(site)) == {("2", "全国人大常委会委员长栗战书")}


def test_hong_kong_macao_and_taiwan_named_as_states_are_a_veto(site):
    # 新华社《新闻信息报道中的禁用词和慎用词》: never call 港澳台 国家; a list with them says 国家和地区.
    site.column(COL, "工作动态")
    _doc(site, 1, "产品远销美国、日本、台湾等国家。")
    _doc(site, 2, "吸引了来自香港、新加坡等十余个国家的客商。")
    _doc(site, 3, "与台湾政府官员会面。")
    _doc(site, 4, "产品远销美国、日本、台湾等国家和地区，吸引香港、新加坡等国家（地区）客商。")
    _doc(site, 5, "台湾青年赴美国等国家交流，台湾和大陆的企业到东南亚等国家投资。")   # no list of states with 台湾
    _doc(site, 6, "揭露所谓“台湾政府”的图谋，台湾等地的合作国家级项目。")
    found = _found(site)
    assert set(found) == {("1", "台湾等国家"), ("2", "香港、新加坡等十余个国家"), ("3", "台湾政府")}
    assert found[("1", "台湾等国家")].severity == "veto"
    assert found[("1", "台湾等国家")].evidence["expected"] == "台湾等国家和地区"
    assert found[("3", "台湾政府")].evidence["expected"] == "台湾当局"
    assert "禁用词" in found[("3", "台湾政府")].evidence["source"]


def test_a_party_congress_counted_in_jie_is_a_reviewed_wrong_form(site):
    # 党的全国代表大会 is 第二十次; 届 counts the central committee (and the 全国人民代表大会).
    site.column(COL, "工作动态")
    _doc(site, 1, "深入学习贯彻中国共产党第二十届全国代表大会精神。")
    _doc(site, 2, "学习党的二十大和第二十届中央委员会第二次全体会议精神，第十四届全国人民代表大会第一次会议。")
    _doc(site, 3, "中国共产党第二十次全国代表大会胜利召开。")
    found = _found(site)
    assert set(found) == {("1", "中国共产党第二十届全国代表大会")}
    hit = found[("1", "中国共产党第二十届全国代表大会")]
    assert hit.evidence["expected"] == "中国共产党第二十次全国代表大会" and hit.severity == "deduct"
    assert "党章" in hit.evidence["source"] or "章程" in hit.evidence["source"]
