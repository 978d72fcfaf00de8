"""Variants of protected terms in stored text (严重表述错误): anchored matching, never general Chinese.

One ``Matcher`` is built per term set (cached) and indexes, in one Aho-Corasick automaton:

* the reviewed wrong forms of ``audits/data/wording.yaml`` ``typos`` (and the profile's);
* for every term of ``min_pinyin_chars`` or more characters, its variants with one character
  replaced by another of the same toneless pinyin (pypinyin's dictionaries, read by audits.pinyin);
* for every term of ``min_edit_chars`` or more characters, its two halves: a variant with one
  character substituted or dropped keeps one half intact, so each half hit is verified against
  the term (pigeonhole), which keeps the per-page cost one pass over the text;
* the exact terms, so a correct occurrence masks what looks like a variant inside it.

Guards (``jieba``, made lazily once, only when a candidate is found, dictionary bundled, no
download): a short reviewed wrong form that crosses a word boundary on both sides is skipped
(行政服务 read as 政服); a fuzzy variant whose changed character belongs to a dictionary word
that is not part of the term is a different word, not a typo (政务公告 is not 政务公开).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import ahocorasick_rs
import yaml
from audits.caches import rule_cache
from audits.pinyin import char_readings, lazy_pinyin
from audits.wordfreq import compact_frequencies

DATA_PATH = Path(__file__).parent / "data" / "wording.yaml"
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_BY_END_THEN_START = itemgetter(2, 1)
_SENTENCE_END = "。！？；!?;\n"
MAX_SENTENCE = 160
# Characters a variant never puts in place of a term's own: structural words and conjunctions
# (a term read across 的/和/与 is running text, not a typo).
FUNCTION_CHARS = frozenset("的地得了着过和与及或等在是为对之其而并以于把被从向也都就又这那该此每个")


@dataclass(frozen=True)
class Term:
    text: str
    kind: str          # state | leader | phrase | organ | place
    source: str = ""


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    wrong: str
    expected: str
    rule: str          # typo | pinyin | substituted | dropped
    kind: str          # the term's kind; 'typo' entries keep the right form's kind when it is a term
    source: str = ""


@lru_cache(maxsize=1)
def data() -> dict:
    with DATA_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@rule_cache(maxsize=1)
def _homophones() -> dict[str, tuple[str, ...]]:
    """toneless pinyin -> the GB2312 characters that can read so (pypinyin's bundled dictionary)."""
    out: dict[str, list[str]] = {}
    for code, readings in char_readings().items():
        char = chr(code)
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            out.setdefault(plain.replace("ü", "v"), []).append(char)
    return {k: tuple(sorted(set(v))) for k, v in out.items()}


_jieba_lock = threading.Lock()


@rule_cache(maxsize=1)
def _tokenizer():
    """jieba, made on the first candidate a page has and let go with the rules' other tables (the
    report and the next job would carry it), its dictionary kept compact (audits.wordfreq: 5 MB
    and 0.7 s, where jieba's own is 63 MB and writes a cache file to /tmp)."""
    import jieba  # paid only when a page has a wording candidate
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as lines:
        tokenizer.FREQ, tokenizer.total = compact_frequencies(lines)
    tokenizer.initialized = True
    return tokenizer


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of jieba's dictionary words in ``text`` (HMM off: unknown runs stay single
    characters)."""
    with _jieba_lock:
        tokenizer = _tokenizer()
    out, pos = [], 0
    for word in tokenizer.cut(text, HMM=False):
        out.append((pos, pos + len(word)))
        pos += len(word)
    return out


class Matcher:
    """All variants of a term set, indexed once; ``scan(text)`` gives the hits in one pass."""

    def __init__(self, terms: list[Term], typos: list[dict], allow=(), min_pinyin=3, min_edit=4, watch=(),
                 long_pinyin=None):
        self.terms = {t.text: t for t in terms}
        self.long_pinyin = long_pinyin
        self.allow = set(allow)
        entries: dict[str, list] = {}

        def put(key, value):
            entries.setdefault(key, []).append(value)

        for term in self.terms.values():
            put(term.text, ("exact", term))
        for t in typos:
            if t["wrong"] not in self.terms:
                kind = self.terms[t["right"]].kind if t["right"] in self.terms else "typo"
                put(t["wrong"], ("typo", Term(t["right"], kind, t.get("source", ""))))
        homophones = _homophones()
        for term in self.terms.values():
            n = len(term.text)
            if not _CJK.match(term.text):
                continue
            if n >= min_pinyin:
                for i, reading in enumerate(lazy_pinyin(term.text)):
                    for char in homophones.get(reading, ()):
                        if char != term.text[i]:
                            variant = term.text[:i] + char + term.text[i + 1:]
                            if variant not in self.terms:
                                put(variant, ("pinyin", term))
            if n >= min_edit:
                put(term.text[:n // 2], ("left", term))
                put(term.text[n // 2:], ("right", term))
        for word in watch:
            if word:
                put(word, ("watch", None))
        # ahocorasick_rs (Rust): pyahocorasick looks a node's children up one by one, and the
        # homophone variants give the root thousands of them: 1.5 ms against 50 µs per page.
        self.keys = list(entries)
        self.values = [entries[k] for k in self.keys]
        self.automaton = ahocorasick_rs.AhoCorasick(self.keys, matchkind=ahocorasick_rs.MatchKind.Standard)

    def _found(self, text: str) -> list[tuple[int, int, int]]:
        found = self.automaton.find_matches_as_indexes(text, overlapping=True)
        found.sort(key=_BY_END_THEN_START)
        return found

    def scan(self, text: str) -> list[Hit]:
        return self.scan_and_watch(text)[0]

    def scan_and_watch(self, text: str) -> tuple[list[Hit], set[str]]:
        """The hits, and which of the ``watch`` words occur in ``text`` (same pass)."""
        watched: set[str] = set()
        if not text:
            return [], watched
        exact: list[tuple[int, int]] = []
        candidates: list[Hit] = []
        keys, values = self.keys, self.values
        for index, start, end in self._found(text):
            for how, term in values[index]:
                if how == "exact":
                    exact.append((start, end))
                elif how == "typo" or how == "pinyin":
                    candidates.append(Hit(start, end, keys[index], term.text, how, term.kind, term.source))
                elif how == "left":
                    # Most half hits are part of a correct occurrence of their own term, where
                    # every window _edits would try is the term itself or inside it.
                    if not text.startswith(term.text, start) and self._may_follow(text, end, term.text):
                        candidates.extend(self._edits(text, start, end, how, term))
                elif how == "right":
                    n = len(term.text)
                    if not (end >= n and text.startswith(term.text, end - n)) \
                            and self._may_precede(text, end - (n - n // 2), term.text):
                        candidates.extend(self._edits(text, start, end, how, term))
                else:
                    watched.add(keys[index])
        hits, seen = [], set()
        candidates.sort(key=lambda h: (h.rule != "typo", h.start, -(h.end - h.start)))
        for hit in candidates:
            if (hit.start, hit.wrong) in seen or hit.wrong in self.allow or hit.wrong in self.terms:
                continue
            if any(s <= hit.start and hit.end <= e for s, e in exact):
                continue     # inside a correct occurrence of a longer term
            if hit.rule != "typo" and any(s < hit.end and hit.start < e for s, e in exact):
                continue     # a fuzzy variant overlapping a correct term is that term, read across
            seen.add((hit.start, hit.wrong))
            hits.append(hit)
        kept = [h for h in hits if self._guarded(text, h)]
        # one error, one hit: drop a hit inside a longer one (中华人民共合国 in 中华人民共合国国务院)
        return [h for h in kept if not any(o is not h and o.start <= h.start and h.end <= o.end
                                           and (o.end - o.start) > (h.end - h.start) for o in kept)], watched

    # Necessary conditions for _edits to find a variant, tested inline because most half hits
    # (安全 of 安全生产, 政务 of 政务公开) are followed by another word: 1.1 million _edits calls
    # at 10⁵ pages, a third of the rule.  A variant with one character substituted or one inner
    # character dropped keeps, next to the intact half, the other half's first (last) character
    # or its second (second-to-last) one in place, or shifted by the dropped character.
    @staticmethod
    def _may_follow(text: str, end: int, term: str) -> bool:
        rest = term[len(term) // 2:]
        if len(rest) < 2:
            return True
        return text[end:end + 1] in (rest[0], rest[1]) or text[end + 1:end + 2] == rest[1]

    @staticmethod
    def _may_precede(text: str, start: int, term: str) -> bool:
        half = term[:len(term) // 2]
        if len(half) < 2:
            return True
        return start >= 1 and (text[start - 1] in (half[-1], half[-2]) or (start >= 2 and text[start - 2] == half[-2]))

    def _edits(self, text, start, end, how, term) -> list[Hit]:
        """Windows of the term's length (one character substituted) and one shorter (one dropped)
        that share the matched half.  The cheap tests come first: nearly every window differs
        from the term in more than one character."""
        n, t = len(term.text), term.text
        out = []
        if how == "left":
            windows = ((start, start + n), (start, start + n - 1))
        else:
            windows = ((end - n, end), (end - n + 1, end))
        for s, e in windows:
            if s < 0 or e > len(text):
                continue
            w = text[s:e]
            if len(w) == n:
                if sum(map(str.__ne__, w, t)) != 1 or not _CJK.match(w):
                    continue
                same = lazy_pinyin(w) == lazy_pinyin(t)
                out.append(Hit(s, e, w, t, "pinyin" if same else "substituted", term.kind, term.source))
            elif len(w) == n - 1 and w in _dropped(t) and _CJK.match(w):
                out.append(Hit(s, e, w, t, "dropped", term.kind, term.source))
        return out

    def _guarded(self, text: str, hit: Hit) -> bool:
        """True when the hit survives the word-boundary guards."""
        lo, hi = max(0, hit.start - 12), min(len(text), hit.end + 12)
        spans = [(s + lo, e + lo) for s, e in tokens(text[lo:hi])]
        starts, ends = {s for s, _ in spans}, {e for _, e in spans}
        if hit.rule == "typo":
            # a short wrong form read across two words (行政服务 as 政服) is no wrong form
            return hit.start in starts or hit.end in ends or len(hit.wrong) >= 4
        # A fuzzy variant is a word of its own: it neither starts nor ends inside another word
        # (安全的产业 is not 安全生产), and the character put in is not a function word (的发展理念).
        if hit.start not in starts or hit.end not in ends:
            return False
        if hit.rule == "dropped":
            return True
        changed = [hit.start + i for i, (a, b) in enumerate(zip(hit.wrong, hit.expected)) if a != b]
        if any(text[c] in FUNCTION_CHARS for c in changed):
            return False
        if hit.rule == "pinyin" and self.long_pinyin and len(hit.expected) >= self.long_pinyin:
            # An input method's homophone slip makes a word of its own (主义→主意, 廉政→廉正): in a
            # long fixed phrase that word is the slip, not another phrase.
            return True
        for s, e in spans:
            if e - s > 1 and any(s <= c < e for c in changed):
                word = text[s:e]
                if word not in hit.expected:
                    return False      # the changed character makes another word: 政务公告
        return True


@rule_cache(maxsize=4096)
def _dropped(term: str) -> frozenset[str]:
    """The term with one inner character dropped (the first and last stay)."""
    return frozenset(term[:i] + term[i + 1:] for i in range(1, len(term) - 1))


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], at most MAX_SENTENCE characters."""
    lo = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    his = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    lo, hi = max(lo, start - MAX_SENTENCE // 2), min(hi, end + MAX_SENTENCE // 2)
    return text[lo:hi].strip()


@rule_cache(maxsize=8)
def matcher(terms: tuple[Term, ...], typos: tuple[tuple, ...], allow: tuple[str, ...], min_pinyin: int,
            min_edit: int, watch: tuple[str, ...] = (), long_pinyin: int | None = None) -> Matcher:
    return Matcher(list(terms), [dict(t) for t in typos], allow, min_pinyin, min_edit, watch, long_pinyin)
