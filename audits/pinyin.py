"""Toneless pinyin of short Chinese strings (the protected terms and the windows compared with
them), read from pypinyin's bundled dictionaries without importing pypinyin.

Importing pypinyin loads its phrase dictionary as nested lists and a prefix set of every phrase:
55 MB that every audit kept to the end (docs/performance.md).  ``lazy_pinyin(text)`` here gives
what ``pypinyin.lazy_pinyin(text, style=Style.NORMAL)`` gives for a string of Chinese characters
(forward maximum matching over the phrase dictionary, the first reading of each character
otherwise, tone marks removed, ü written v), from the same JSON files kept as one string per
phrase (about 10 MB).  tests/audits/test_pinyin.py compares both on the terms, the phrases and the
characters.
"""
from __future__ import annotations

from bisect import bisect_left
import importlib.util
import json
import re
import threading
import unicodedata
from pathlib import Path

from audits.caches import rule_cache

_DIAERESIS = "\u0308"
# One entry of phrases_dict.json: "phrase": [["reading", …], …] (the first reading of each character)
_ENTRY = re.compile(r'"([^"\\]+)"\s*:\s*\[((?:\s*\[[^\]]*\]\s*,?)*)\s*\]')
_FIRST_READING = re.compile(r'\[\s*"([^"]*)"')
_lock = threading.Lock()


def _data_dir() -> Path:
    # find_spec locates the package without importing it (its import is what loads 55 MB); the
    # two JSON files are those of pypinyin 0.55 (setup.cfg requires it).
    spec = importlib.util.find_spec("pypinyin")
    return Path(next(iter(spec.submodule_search_locations)))


def toneless(reading: str) -> str:
    """zhōng -> zhong, lǜ -> lv: every tone mark dropped, ü written v (pypinyin's NORMAL style)."""
    out = []
    for ch in unicodedata.normalize("NFD", reading):
        if unicodedata.combining(ch):
            if ch == _DIAERESIS and out and out[-1] == "u":
                out[-1] = "v"
            continue
        out.append(ch)
    return "".join(out)


@rule_cache(maxsize=1)
def char_readings() -> dict[int, str]:
    """code point -> its readings with tones, comma-separated (pypinyin's single-character dictionary)."""
    with (_data_dir() / "pinyin_dict.json").open(encoding="utf-8") as fh:
        return {int(k): v for k, v in json.load(fh).items()}


@rule_cache(maxsize=1)
def _phrases() -> tuple[dict[str, str], int, list[str]]:
    """phrase -> its toneless readings joined by spaces (the first reading of each character), the
    longest phrase's length, and the phrases sorted (for prefix look-ups)."""
    # Matched entry by entry: json.load would build the nested lists (35 MB) this module avoids.
    syllables: dict[str, str] = {}
    phrases = {}
    text = (_data_dir() / "phrases_dict.json").read_text(encoding="utf-8")
    for entry in _ENTRY.finditer(text):
        readings = _FIRST_READING.findall(entry.group(2))
        phrases[json.loads(f'"{entry.group(1)}"')] = " ".join(syllables.setdefault(r, toneless(r)) for r in readings)
    del text
    return phrases, max(map(len, phrases), default=1), sorted(phrases)


def _is_prefix(text: str, ordered: list[str]) -> bool:
    i = bisect_left(ordered, text)
    return i < len(ordered) and ordered[i].startswith(text)


def _first(char: str) -> str:
    readings = char_readings().get(ord(char))
    return toneless(readings.split(",")[0]) if readings else char


@rule_cache(maxsize=4096)
def lazy_pinyin(text: str) -> tuple[str, ...]:
    """The toneless reading of each character of ``text`` (Chinese characters only)."""
    with _lock:
        phrases, longest, ordered = _phrases()
    out: list[str] = []
    i = 0
    while i < len(text):
        if not any(text[i:i + n] in phrases for n in range(1, min(longest, len(text) - i) + 1)) \
                and _is_prefix(text[i:], ordered):
            # pypinyin's matcher: the rest only begins some phrase and holds none -> single characters
            for c in text[i:]:
                out.extend(phrases[c].split(" ") if c in phrases else [_first(c)])
            break
        for n in range(min(longest, len(text) - i), 1, -1):
            word = text[i:i + n]
            if word in phrases:
                out.extend(phrases[word].split(" "))
                i += n
                break
        else:
            word = text[i]
            out.extend(phrases[word].split(" ") if word in phrases else [_first(word)])
            i += 1
    return tuple(out)
