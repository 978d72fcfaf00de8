import pytest

from crawler.extract.dates import find_date, looks_like_date, parse_date


@pytest.mark.parametrize("text, iso", [
    ("2023-11-10", "2023-11-10"),
    ("2023/11/10", "2023-11-10"),
    ("2023.11.10", "2023-11-10"),
    ("2023年11月10日", "2023-11-10"),
    ("2023年1月5日", "2023-01-05"),
    ("2023-1-5", "2023-01-05"),
    ("2023-11-10 10:31:56", "2023-11-10"),
    ("发布日期：2023-11-10 09:30", "2023-11-10"),
    ("２０２３年１１月１０日", "2023-11-10"),
    ("２０２３－１１－１０", "2023-11-10"),
    ("[2023-11-10]", "2023-11-10"),
    ("2023-11-\n   10", "2023-11-10"),          # list dates split over lines
    ("2023 年 11 月 10 日", "2023-11-10"),
    ("二〇二三年十一月十日", "2023-11-10"),
    ("二〇二三年一月三十一日", "2023-01-31"),
    ("2023年11月10", "2023-11-10"),
])
def test_formats(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", [
    "", None, "暂无", "2023-13-01", "2023-02-30", "0531-8321-2345", "章政发〔2023〕15号", "12345678",
    "11-28", "1137018100420588XX-A/2025-6667894",
])
def test_not_dates(text):
    assert parse_date(text) is None


def test_first_valid_date_wins_and_raw_keeps_the_time():
    m = find_date("成文 2023-02-30，发布 2023-03-01 10:00:00 更新")
    assert m.iso == "2023-03-01"
    assert m.raw == "2023-03-01 10:00:00"


def test_looks_like_date():
    assert looks_like_date("[2023-11-10]")
    assert looks_like_date("2023年11月10日")
    assert not looks_like_date("关于2023-11-10会议的通知")
