"""audits.pinyin reads pypinyin's dictionaries without importing pypinyin (55 MB that every audit
kept): the readings it gives must be pypinyin's own."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys

from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

from audits import pinyin
from audits.wording import data


def _mismatches(strings):
    return [s for s in strings if tuple(lazy_pinyin(s, style=Style.NORMAL)) != pinyin.lazy_pinyin(s)]


def test_same_readings_as_pypinyin():
    terms = sorted(set(re.findall(r"[\u4e00-\u9fff]{2,}", json.dumps(data(), ensure_ascii=False, default=str))))
    rng = random.Random(15)
    chars = sorted(chr(c) for c in pinyin_dict if 0x4E00 <= c <= 0x9FFF)
    phrases = sorted(phrases_dict)
    # windows like the ones the matcher compares: a term or two phrases with one character replaced
    windows = []
    for _ in range(3000):
        text = rng.choice(terms) if rng.random() < 0.5 else rng.choice(phrases) + rng.choice(phrases)
        i = rng.randrange(len(text))
        windows.append(text[:i] + rng.choice(chars) + text[i + 1:])
    assert len(terms) > 50
    assert _mismatches(terms + rng.sample(chars, 3000) + rng.sample(phrases, 3000) + windows) == []


def test_toneless():
    assert [pinyin.toneless(r) for r in ("zhōng", "lǜ", "nǚ", "ń", "hm")] == ["zhong", "lv", "nv", "n", "hm"]


def test_wording_does_not_import_pypinyin():
    code = ("import sys, audits.wording as w; w._homophones(); w.lazy_pinyin('中华人民共和国'); "
            "print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
