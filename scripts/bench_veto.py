"""Added CPU time per page of the 严重表述错误 and 暗链 checks (`make bench`; not a test).

Renders the documents of the small simulated site, then times per page: the crawler's hidden-link
facts (crawler/extract/hidden.py) and the wording scan (audits/wording.py) on the page's text.
One-off costs (the automaton, jieba's dictionary) are timed apart.  Figures: docs/performance.md.
"""
from __future__ import annotations

import datetime as dt
import sys
import time

import pandas as pd
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audits.rules.serious_wording_error import _terms  # noqa: E402
from audits.config import merged_config  # noqa: E402
from audits.wording import data, matcher, tokens  # noqa: E402
from crawler.extract.document import extract_document  # noqa: E402
from crawler.extract.encoding import decode_html  # noqa: E402
from crawler.extract.hidden import link_hiding  # noqa: E402
from sitesim.generate import build_site  # noqa: E402
from sitesim.pages import Pages  # noqa: E402


class _Snap:
    scan = {"site_name": "济南市章丘区人民政府"}
    units = None


def main() -> int:
    site = build_site(2023, "small", dt.date(2023, 11, 30))
    pages = Pages(site)
    htmls = [(f"http://127.0.0.1{d.path}", decode_html(pages.respond("GET", d.path).body)[0]) for d in site.docs]
    texts = [extract_document(u, h).body_text for u, h in htmls]
    snap = _Snap()
    snap.units = pd.DataFrame({"name": [u.name for u in site.units], "kind": [u.kind for u in site.units]})
    cfg = merged_config({})["wording"]
    typos = tuple(tuple(sorted(t.items())) for t in data()["typos"])
    t0 = time.process_time()
    m = matcher(_terms(snap, cfg), typos, (), cfg["min_pinyin_chars"], cfg["min_edit_chars"])
    build = time.process_time() - t0
    t0 = time.process_time()
    tokens("预热")
    jieba_load = time.process_time() - t0
    t0 = time.process_time()
    for u, h in htmls:
        link_hiding(u, h)
    hidden = (time.process_time() - t0) / len(htmls)
    t0 = time.process_time()
    for t in texts:
        m.scan(t)
    scan = (time.process_time() - t0) / len(texts)
    print(f"pages: {len(htmls)}; automaton build {build:.2f} s, jieba load {jieba_load:.2f} s (once per process)")
    print(f"per page: hidden-link facts {hidden * 1000:.2f} ms, wording scan {scan * 1000:.2f} ms CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
