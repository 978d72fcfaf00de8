"""Facts read from stored text (field values and body text — never HTML): dates, periods,
personal numbers.  Small pure functions so each rule stays one screen long.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterable

import ahocorasick_rs
from stdnum.cn import ric, uscc

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_CN_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_ISO_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_ANY_DATE = rf"(?:{_CN_DATE}|{_ISO_DATE})"


def found_in_lines(lines: Iterable[str], needles, chunk: int = 1 << 16) -> set[str]:
    """The needles that occur in one of ``lines``, in one Aho-Corasick pass: ``text.find`` per
    needle is quadratic when a rule asks 10³–10⁴ titles of 10⁵–10⁶ characters (the 意见反馈
    texts).  No needle or line holds a line break; the lines are searched a run of about
    ``chunk`` characters at a time, so they are never all held (nor the matcher's copy of them,
    about 25 bytes a character)."""
    needles = list(dict.fromkeys(n for n in needles if n))
    if any("\n" in n for n in needles):
        raise ValueError("found_in_lines: a needle holds a line break")
    found: set[str] = set()
    if not needles:
        return found
    finder = ahocorasick_rs.AhoCorasick(needles, matchkind=ahocorasick_rs.MatchKind.Standard)

    def search(run: list[str]) -> None:
        found.update(needles[index] for index, _start, _end in
                     finder.find_matches_as_indexes("\n".join(run), overlapping=True))
    run, size = [], 0
    for line in lines:
        if "\n" in line:
            raise ValueError("found_in_lines: a line holds a line break")
        run.append(line)
        size += len(line) + 1
        if size >= chunk:
            search(run)
            run, size = [], 0
    if run:
        search(run)
    return found


def quoted_title(text: str) -> str | None:
    """The first 《…》 of ``text`` with its brackets, nested 《》 included:
    “《关于印发《X方案》的通知》缺少…” gives the whole 《关于印发《X方案》的通知》, not 《关于印发《X方案》.
    An unclosed outer bracket runs to the last 》; no 《 or no 》 at all gives None."""
    start = (text or "").find("《")
    if start < 0:
        return None
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "《":
            depth += 1
        elif text[i] == "》":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    end = text.rfind("》")
    return text[start:end + 1] if end > start else None


def parse_date(text) -> dt.date | None:
    """A whole field value as a date: 2023-05-01, 2023年5月1日, 2023/5/1, 2023.05.01 (time allowed)."""
    m = _DATE_RE.match(str(text or ""))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def strict_date(text, patterns) -> dt.date | None:
    """A field value as a date when it reads as one of ``patterns`` (year, month, day groups)."""
    for pattern in patterns:
        m = re.match(pattern, str(text or "").strip())
        if m:
            return _date_of(m.groups()[:3])
    return None


def _date_of(groups) -> dt.date | None:
    nums = [g for g in groups if g is not None]
    try:
        return dt.date(int(nums[0]), int(nums[1]), int(nums[2]))
    except (ValueError, IndexError):
        return None


def dates_in(text: str) -> list[dt.date]:
    return [d for d in (_date_of(m.groups()) for m in re.finditer(_ANY_DATE, text or "")) if d]


_CONNECT = r"\s*(?:\d{1,2}[:：]\d{2})?\s*(?:至|到|—|－|~|～|-)\s*"
_CN_RANGE_RE = re.compile(_CN_DATE + _CONNECT + r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_RANGE_RE = re.compile(_ISO_DATE + _CONNECT + _ISO_DATE)
_DEADLINE_RE = re.compile(rf"截[止至](?:日期|时间)?(?:为|是|：|:)?\s*{_ANY_DATE}|{_ANY_DATE}\s*(?:前|之前)?\s*截止")


def comment_period(text: str, published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of a 征求意见 period stated in the text; start defaults to ``published``."""
    text = text or ""
    m = _CN_RANGE_RE.search(text)
    if m:
        y1, m1, d1, y2, m2, d2 = m.groups()
        start, end = _date_of((y1, m1, d1)), _date_of((y2 or y1, m2, d2))
        if start and end:
            return start, end
    m = _ISO_RANGE_RE.search(text)
    if m:
        start, end = _date_of(m.groups()[:3]), _date_of(m.groups()[3:])
        if start and end:
            return start, end
    m = _DEADLINE_RE.search(text)
    if m:
        return published, _date_of(m.groups())
    return published, None


_VALID_UNTIL_RE = re.compile(rf"有效期限?(?:至|到|截至|截止到?)\s*{_ANY_DATE}")
# 有效期自2020年3月1日起至2022年2月28日止, 有效期为2023年1月1日至2025年12月31日: the range's end.
_VALID_RANGE_RE = re.compile(rf"有效期限?(?:为|是)?[：:]?\s*(?:自|从)?\s*{_ANY_DATE}\s*起?{_CONNECT}{_ANY_DATE}")
_VALID_YEARS_RE = re.compile(rf"自?\s*{_ANY_DATE}\s*起施行[，,。；;]?\s*有效期(?:为)?\s*(\d+|[一二三四五六七八九十两]+)\s*年")
# 自印发之日起施行，有效期2年: counted from the document's own date (印发: 成文日期; 发布/公布: 发布日期).
_VALID_YEARS_FROM_ISSUE_RE = re.compile(r"自(印发|下发|签发|发布|公布)之日起施行[，,。；;]?\s*有效期(?:为)?\s*"
                                        r"(\d+|[一二三四五六七八九十两]+)\s*年")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _years_after(start: dt.date, raw: str) -> dt.date | None:
    """The last day of a period of ``raw`` (3, 三, 两) years from ``start``."""
    years = int(raw) if raw.isdigit() else _CN_NUM.get(raw)
    if not years:
        return None
    try:
        return start.replace(year=start.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 Feb
        return start.replace(year=start.year + years, day=28) - dt.timedelta(days=1)


def valid_until(text: str, written: dt.date | None = None,
                published: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """The 有效期 end stated in a document's text and the phrase that states it.  ``written`` and
    ``published`` (成文日期, 发布日期) date a period counted 自印发/发布之日起."""
    text = text or ""
    if "有效期" not in text:          # every pattern needs it; a plain search is ~100× faster
        return None, None
    m = _VALID_UNTIL_RE.search(text)
    if m:
        return _date_of(m.groups()), m.group(0)
    m = _VALID_RANGE_RE.search(text)
    if m and _date_of(m.groups()[6:]):
        return _date_of(m.groups()[6:]), m.group(0)
    m = _VALID_YEARS_RE.search(text)
    if m:
        start = _date_of(m.groups()[:6])
        end = _years_after(start, m.group(7)) if start else None
        if end:
            return end, m.group(0)
    m = _VALID_YEARS_FROM_ISSUE_RE.search(text)
    if m:
        start = (written or published) if m.group(1) in ("印发", "下发", "签发") else (published or written)
        end = _years_after(start, m.group(2)) if start else None
        if end:
            return end, m.group(0)
    return None, None


_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9A-Za-z])")
# Like an ID number, a phone number is no part of a longer run of letters and digits: the 11
# digits inside a file's hash name (doc_…_beaf9525ad80dbf8df14943128545ae2) are nobody's phone.
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
# Both need 11 digits in a row.  The patterns above start with a look-behind, which the regex
# engine tries at every character; this one it skips through quickly (10⁵ texts of 2,000 characters).
# Written out: sre is ~1.4x slower at \d{11} (a repeat) than at eleven \d in a row (34 against
# 24 µs a 2,000-character page, measured 2026-12-04): 10⁵ pages searched by privacy_leak.
_DIGIT_RUN_RE = re.compile(r"\d" * 11)


def _is_id_number(number: str) -> bool:
    # Checksum and birth date, not stdnum's birth-place table: it lacks retired county codes
    # (章丘市 370181 became 章丘区 370114 in 2016), which people born earlier still carry.
    try:
        ric.get_birth_date(number)
    except ric.ValidationError:
        return False
    return ric.calc_check_digit(number).upper() == number[-1].upper()


def may_hold_numbers(text: str) -> bool:
    """False when ``text`` has no run of 11 digits, so neither ID nor mobile numbers."""
    return bool(_DIGIT_RUN_RE.search(text or ""))


def id_numbers(text: str) -> list[str]:
    """身份证号 (GB 11643) that pass the checksum and carry a real birth date."""
    if not _DIGIT_RUN_RE.search(text or ""):
        return []
    return [m for m in _ID_RE.findall(text or "") if _is_id_number(m)]


def mobile_numbers(text: str) -> list[str]:
    # An ID number's digits must not be read as a phone number.
    if not _DIGIT_RUN_RE.search(text or ""):
        return []
    cleaned = _ID_RE.sub(" ", text or "")
    return _MOBILE_RE.findall(cleaned)


def mask(number: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    """Evidence must not repeat the leak: 370181********1234."""
    if len(number) <= keep_head + keep_tail:
        return "*" * len(number)
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


@lru_cache(maxsize=4096)
def uscc_problem(code: str) -> str | None:
    """Why an 18-character 统一社会信用代码 is wrong, or None when it is right (cached: a unit's
    索引号 all start with its own code, so a site has as many codes as units)."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    if not uscc.is_valid(code):
        try:
            expected = uscc.calc_check_digit(code)
        except Exception:  # characters outside the GB 32100 alphabet
            return "统一社会信用代码含无效字符"
        return f"统一社会信用代码校验位错误（应为{expected}）"
    return None
