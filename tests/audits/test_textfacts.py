"""Facts read from stored text: periods, validity, personal numbers, dates."""
import datetime as dt

import pytest

from audits.textfacts import comment_period, id_numbers, mask, mobile_numbers, strict_date, uscc_problem, valid_until

D = dt.date
PATTERNS = [r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"]


def test_comment_periods():
    assert comment_period("征求意见时间为2023年5月1日至5月30日。", None) == (D(2023, 5, 1), D(2023, 5, 30))
    assert comment_period("时间：2023年12月20日—2024年1月10日", None) == (D(2023, 12, 20), D(2024, 1, 10))
    assert comment_period("2023-05-01至2023-05-20", None) == (D(2023, 5, 1), D(2023, 5, 20))
    assert comment_period("意见反馈截止日期为2023年6月1日", D(2023, 5, 10)) == (D(2023, 5, 10), D(2023, 6, 1))
    assert comment_period("欢迎提出意见。", D(2023, 5, 10)) == (D(2023, 5, 10), None)


def test_validity_periods():
    assert valid_until("本办法自2020年1月1日起施行，有效期3年。")[0] == D(2022, 12, 31)
    assert valid_until("自2021年3月1日起施行，有效期五年")[0] == D(2026, 2, 28)
    assert valid_until("有效期至2022年12月31日。")[0] == D(2022, 12, 31)
    assert valid_until("本办法自印发之日起施行。") == (None, None)


def test_validity_ranges_and_periods_from_the_documents_own_date():
    # 有效期自…起至…止 / 有效期为…至…: the range's end, not its start.
    assert valid_until("本措施有效期自2020年3月1日起至2022年2月28日止。")[0] == D(2022, 2, 28)
    assert valid_until("有效期为2023年1月1日至2025年12月31日。")[0] == D(2025, 12, 31)
    assert valid_until("有效期：2021-01-01至2022-12-31")[0] == D(2022, 12, 31)
    assert valid_until("本规定有效期限至2024年6月30日。")[0] == D(2024, 6, 30)
    # 自印发之日起施行，有效期N年: from 成文日期; 自发布之日起: from 发布日期; no date, no end.
    assert valid_until("本通知自印发之日起施行，有效期2年。", D(2021, 3, 15), D(2021, 3, 18))[0] == D(2023, 3, 14)
    assert valid_until("本办法自发布之日起施行，有效期两年。", D(2021, 3, 15), D(2021, 3, 18))[0] == D(2023, 3, 17)
    assert valid_until("本办法自印发之日起施行，有效期五年。", None, D(2020, 1, 10))[0] == D(2025, 1, 9)
    assert valid_until("本通知自印发之日起施行，有效期2年。") == (None, None)


def test_personal_numbers():
    text = "张三 11010519491231002X，李四 110105194912310021（校验位错），电话13812345678，座机0531-88888888"
    assert id_numbers(text) == ["11010519491231002X"]
    assert mobile_numbers(text) == ["13812345678"]
    assert mobile_numbers("身份证11010519491231002X") == []
    assert mobile_numbers("附件：doc_5c9f_beaf9525ad80dbf8df14943128545ae2.pdf") == []    # inside a hash name
    assert mobile_numbers("手机13812345678转，电话:13912345678；Tel 15012345678") == [
        "13812345678", "13912345678", "15012345678"]
    assert mask("13812345678") == "138****5678"
    assert id_numbers("李某某 370181195710116666") == ["370181195710116666"]   # a retired county code (章丘市)


def test_strict_dates_and_uscc():
    assert strict_date("2023-05-06 09:30:00", PATTERNS) == D(2023, 5, 6)
    assert strict_date("2023年5月6日", PATTERNS) == D(2023, 5, 6)
    assert strict_date("2023/05/06", PATTERNS) is None and strict_date("2023-02-30", PATTERNS) is None
    assert uscc_problem("11370181004205062T") is None
    assert "应为T" in uscc_problem("11370181004205062A")


def test_found_in_lines_finds_what_a_find_per_needle_finds():
    import random

    from audits.textfacts import found_in_lines
    random.seed(7)
    text = "".join(random.choice("《》甲乙丙\n") for _ in range(3000))
    needles = ["《甲》", "甲乙", "乙乙", "《》", "丙", "不在", ""] + ["".join(random.choice("甲乙丙") for _ in range(3))
                                                               for _ in range(40)]
    for chunk in (1 << 16, 10):          # one run of lines, and a run of a line or two
        found = found_in_lines(iter(text.split("\n")), needles, chunk=chunk)
        assert found == {n for n in needles if n and n in text}
    assert "不在" not in found and "《甲》" in found


def test_found_in_lines_searched_in_parts_finds_every_line_and_never_across_two():
    from audits.textfacts import found_in_lines
    lines = [f"第{i}行《标题{i % 7}》" for i in range(2000)]
    found = found_in_lines(lines, ["《标题3》", "第1999行", "》第1", "《标题9》"], chunk=100)
    assert found == {"《标题3》", "第1999行"}
    with pytest.raises(ValueError):
        found_in_lines(["一行\n两行"], ["一行"])
