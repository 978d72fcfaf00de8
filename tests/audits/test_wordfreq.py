"""jieba's dictionary kept compact (audits.wordfreq) answers as jieba's own, and segments alike."""
from __future__ import annotations

import re
from pathlib import Path

import jieba
import pytest
from lxml import html

from audits import wording
from audits.wordfreq import compact_frequencies

REAL_PAGES = Path(__file__).parents[1] / "realpages"      # sources: tests/realpages/SOURCES.md


@pytest.fixture(scope="module")
def jiebas():
    """jieba's own tokenizer and dictionary, and the compact one wording uses."""
    jieba.setLogLevel(60)
    own = jieba.Tokenizer()
    with own.get_dict_file() as lines:
        own.FREQ, own.total = own.gen_pfdict(lines)      # not its /tmp cache: the dictionary itself
    own.initialized = True
    wording._tokenizer.cache_clear()
    yield own, wording._tokenizer()
    wording._tokenizer.cache_clear()


def test_every_word_and_prefix_has_jiebas_frequency_and_the_total_is_its(jiebas):
    own, compact = jiebas
    assert compact.total == own.total and len(compact.FREQ) == len(own.FREQ)
    assert all(compact.FREQ.get(word) == freq for word, freq in own.FREQ.items())
    for absent in ("政务公开栏目空白", "zz", "BP", "偂偂"):       # 偂 is BP's bytes in a str's own hash
        assert (absent in compact.FREQ) == (absent in own.FREQ)
        assert compact.FREQ.get(absent, -1) == own.FREQ.get(absent, -1)
    assert compact.FREQ["BP"] == 0 and compact.FREQ["偂"] == own.FREQ["偂"] != 0


def _sentences():
    for page in sorted(REAL_PAGES.rglob("*.html")):
        text = html.fromstring(page.read_bytes()).text_content()
        yield from (s for s in re.split(r"[。！？；\n]", text) if re.search(r"[\u4e00-\u9fff]", s))


def test_real_pages_are_segmented_as_jieba_segments_them(jiebas):
    own, _ = jiebas
    sentences = list(_sentences())
    assert len(sentences) > 5000
    for sentence in sentences:
        words = list(own.cut(sentence, HMM=False))
        spans, pos = [], 0
        for word in words:
            spans.append((pos, pos + len(word)))
            pos += len(word)
        assert wording.tokens(sentence) == spans, sentence


def test_a_dictionary_line_without_a_frequency_is_refused_with_its_line():
    with pytest.raises(ValueError, match="line 2"):
        compact_frequencies(iter(["政务 5 n\n", "公开\n"]))
    freq, total = compact_frequencies(iter(["政务 5 n\n", "政务公开 7 n\n", "政务 3 n\n"]))
    assert (freq["政务"], freq["政务公"], freq["政务公开"], total) == (3, 0, 7, 15)
    assert "公开" not in freq and freq.get("公开") is None
