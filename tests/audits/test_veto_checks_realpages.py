"""严重表述错误, 暗链, 要素不规范, 公开不及时 and 个人信息泄露 on the real-page corpus (tests/realpages/):
the crawler's own extraction of each page (fields, document text, hidden links) stored as a
snapshot, judged by those rules.

Zero findings: every page is a published government page; a finding here would be a false alarm
(or a real error, which would then be listed with its proof in EXPECTED)."""
from pathlib import Path

import pytest
import yaml

from crawler.extract.document import extract_document
from crawler.extract.encoding import decode_html
from crawler.extract.hidden import link_hiding
from crawler.extract.page import outgoing_links
from crawler.pagerecords import link_sources
from crawler.scope import Scope
from govaudit.core import storage
from tests.audits.conftest import SnapshotBuilder

ROOT = Path(__file__).resolve().parents[1] / "realpages"
PAGES = [p for p in yaml.safe_load((ROOT / "sources.yaml").read_text(encoding="utf-8")) if (ROOT / p["file"]).exists()]
EXPECTED: set = set()       # (check, url, field) of real errors on these pages, each shown below
# The vetoes, and the format and timeliness checks that judge what a page shows as it shows it.
CHECKS = ("serious_wording_error", "hidden_link", "invalid_element", "late_publication", "privacy_leak")


@pytest.fixture(scope="module")
def corpus_findings(tmp_path_factory):
    engine = storage.connect(str(tmp_path_factory.mktemp("realpages") / "pages.db"))
    findings, hidden_seen = [], 0
    for entry in PAGES:
        html, _ = decode_html((ROOT / entry["file"]).read_bytes())
        url = entry.get("url") or f"http://{entry['site']}/{entry['file'].split('/')[-1]}"
        site = SnapshotBuilder(engine, start_url=url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/")
        facts = extract_document(url, html)
        site.column("http://col.test/", "栏目")
        site.listed_doc("http://col.test/", url, facts.title or "页面", fields=facts.fields,
                        publish_date=facts.publish_date, written_date=facts.written_date, body_text=facts.body_text)
        hidden, written, blocks = link_hiding(url, html, blocks=True)
        hidden_seen += len(hidden)
        for item in link_sources(Scope([url]), url, [*outgoing_links(url, html), *written], hidden=hidden,
                                 blocks=blocks):
            site._add(storage.link_source, target_url=item.target_url, source_url=url, anchor=item.anchor,
                      tag=item.tag, facts=item.facts)
        for check in CHECKS:
            findings += site.findings(check, "2026-01-01")
    engine.dispose()
    return findings, hidden_seen


def test_no_false_alarms_on_real_pages(corpus_findings):
    findings, hidden_seen = corpus_findings
    assert len(PAGES) >= 10
    assert hidden_seen > 0, "the corpus has hidden links (CMS marks, menus): the guard is exercised"
    got = {(f.check, f.url, f.field) for f in findings}
    assert got == EXPECTED, [(f.check, f.url, f.field, f.message, f.evidence) for f in findings]
