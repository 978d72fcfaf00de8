"""Dates as Chinese government pages write them → ISO ``YYYY-MM-DD``.

Handles 2023-11-10, 2023/11/10, 2023.11.10, 2023-1-5, 2023年11月10日, 2023年1月5日, with or without a
time, full-width digits and separators, spaces/line breaks around the separators (list dates are
sometimes split over lines), and dates written in Chinese numerals (二〇二三年十一月十日).
Calendar-invalid dates (2023-02-30) are not dates.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Full-width digits and separators → ASCII, so one set of patterns covers both.
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．：　", "0123456789-/.: ")

MIN_YEAR, MAX_YEAR = 1949, 2100

_NUMERIC = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:"
    r"(?P<sep>[-/.])\s*(?P<m1>\d{1,2})\s*(?P=sep)\s*(?P<d1>\d{1,2})(?!\d)"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})(?!\d)\s*日?"
    r")"
)
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九"
_CHINESE = re.compile(
    r"(?P<y>[%s]{4})\s*年\s*(?P<m>[十%s]{1,3})\s*月\s*(?P<d>[十%s]{1,3})\s*日" % (_CN + "Oo", _CN, _CN)
)
_TIME = re.compile(r"[ \t]*(\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass
class DateMatch:
    iso: str
    raw: str          # the text as written (including a trailing time, when present)
    start: int
    end: int


def _cn_number(text: str) -> int | None:
    """十一 → 11, 二十 → 20, 三十一 → 31, 五 → 5."""
    if "十" in text:
        tens, _, units = text.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        u = _CN_DIGITS.get(units, None) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    return None


def _valid(y: int, m: int, d: int) -> str | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str | None):
    """Every valid date in ``text``, in order, as :class:`DateMatch`."""
    if not text:
        return []
    norm = text.translate(_FULLWIDTH)
    found = []
    for m in _NUMERIC.finditer(norm):
        month = m.group("m1") or m.group("m2")
        day = m.group("d1") or m.group("d2")
        iso = _valid(int(m.group("y")), int(month), int(day))
        if iso:
            end = m.end()
            t = _TIME.match(norm, end) if norm[end:end + 1] in (" ", "\n", "\t") else None
            if t is not None:
                end = t.end()
            found.append(DateMatch(iso, text[m.start():end].strip(), m.start(), end))
    if "年" in norm:
        for m in _CHINESE.finditer(norm):
            digits = [_CN_DIGITS.get(ch) for ch in m.group("y")]
            month, day = _cn_number(m.group("m")), _cn_number(m.group("d"))
            if None in digits or month is None or day is None:
                continue
            iso = _valid(int("".join(map(str, digits))), month, day)
            if iso:
                found.append(DateMatch(iso, text[m.start():m.end()], m.start(), m.end()))
        found.sort(key=lambda d: d.start)
    return found


def find_date(text: str | None) -> DateMatch | None:
    found = find_dates(text)
    return found[0] if found else None


def parse_date(text: str | None) -> str | None:
    """First date in ``text`` as ISO ``YYYY-MM-DD``; None if there is none."""
    m = find_date(text)
    return m.iso if m else None


def looks_like_date(text: str | None) -> bool:
    """True when ``text`` is essentially just a date (perhaps with a time or brackets)."""
    if not text:
        return False
    m = find_date(text)
    if not m:
        return False
    rest = (text[:m.start] + text[m.end:]).translate(_FULLWIDTH)
    return not re.sub(r"[\s\[\]()（）【】:\d发布日期时间：]", "", rest)


# A list that shows month and day only (10-19, [10.19], 10月19日): the year is the one of the
# entry's URL date stamp (TRS ./201710/t20171019_1.html, /2021-10/24/ …; the PHP CMSs' default
# article paths /2023/0512/1234.html of DedeCMS and PHPCMS, /2023-05-12/88.html of 帝国CMS), and
# nowhere else.
_MONTH_DAY = re.compile(r"^[\s\[(（【]*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?[\s\])）】]*$")
_URL_STAMP = re.compile(r"/t?(?P<y>(?:19|20)\d\d)(?:-?(?P<m>[01]\d)(?:[0-3]\d_|/)|/(?P<md>[01]\d)[0-3]\d/"
                        r"|-(?P<ymd>[01]\d)-[0-3]\d/)")


def has_url_date_stamp(url: str | None) -> bool:
    """Does ``url`` carry an article path's date stamp (…/202311/t20231126_5139.html, /2023/0512/…)?
    A CMS gives its articles such paths, never its columns."""
    return bool(_URL_STAMP.search(url or ""))


def is_month_day(text: str | None) -> bool:
    """``text`` shows a month and day only (11-28, [09.25], 11月28日): no year."""
    return bool(_MONTH_DAY.match((text or "").translate(_FULLWIDTH)))


def month_day_date(text: str | None, url: str | None) -> DateMatch | None:
    """``text`` when it is only a month and day, dated with the year of ``url``'s date stamp
    (the year after when the stamp is of December and the list shows January); else None."""
    m = _MONTH_DAY.match((text or "").translate(_FULLWIDTH))
    stamp = _URL_STAMP.search(url or "")
    if not m or not stamp:
        return None
    month, year = int(m.group("m")), int(stamp.group("y"))
    if int(stamp.group("m") or stamp.group("md") or stamp.group("ymd")) == 12 and month == 1:
        year += 1
    iso = _valid(year, month, int(m.group("d")))
    return DateMatch(iso, text.strip(), 0, len(text)) if iso else None


# A date split over two elements of a list item, as card and calendar-style list templates
# print it: the day big and the year-month under it (<span>12</span><span>2023-05</span>), or the
# month-day and the year apart (<em>05-12</em><i>2023</i>).  Each half stands alone in its node.
_DAY = re.compile(r"^(?P<d>\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(?P<y>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(?P<y>(?:19|20)\d\d)\s*年?$")


_HALVES = ((_DAY, _YEAR_MONTH), (_MONTH_DAY, _YEAR))


def split_date(first: str | None, second: str | None) -> DateMatch | None:
    """The date two neighbouring text pieces show together (12 + 2023-05, 2023-05 + 12,
    05-12 + 2023, 2023 + 05-12); None unless both halves are exactly such halves."""
    a, b = ((first or "").translate(_FULLWIDTH).strip(), (second or "").translate(_FULLWIDTH).strip())
    for small, big in _HALVES:
        for x, y in ((a, b), (b, a)):
            s, g = small.match(x), big.match(y)
            if s and g:
                parts = {**s.groupdict(), **g.groupdict()}
                iso = _valid(int(parts["y"]), int(parts["m"]), int(parts["d"]))
                if iso:
                    return DateMatch(iso, f"{first} {second}", 0, 0)
    return None
