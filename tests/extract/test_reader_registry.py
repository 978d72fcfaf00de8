"""One registry of list readers: every reader is in it, the profile reader first, and a reader
registered there is what the spider's list reading and page classification consult."""
from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import types
from pathlib import Path
from urllib.parse import urljoin

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

import crawler.extract
import crawler.listing
from crawler.items import ListEntry, ListPage
from crawler.listing import classify_page, read_list, read_response, registry
from crawler.listing.base import CERTAIN, EVIDENCE, request
from crawler.responses import page_of
from extract_fixtures import BASE, load, wrap
from list_walk import ListWalk


def reader_modules():
    for info in pkgutil.iter_modules(crawler.listing.__path__):
        module = importlib.import_module(f"crawler.listing.{info.name}")
        if callable(getattr(module, "detect", None)) and callable(getattr(module, "read_response", None)):
            yield module


def test_the_registry_lists_every_reader_and_the_profile_reader_first():
    readers = registry.READERS
    assert readers[0] is crawler.listing.profile
    assert set(reader_modules()) == set(readers)          # no reader module left out of the registry
    assert len({r.name for r in readers}) == len(readers)
    for reader in readers:
        assert isinstance(reader.name, str) and reader.evidence in EVIDENCE, reader


def test_extract_never_imports_the_list_readers():
    """crawler.listing builds on crawler.extract, never the reverse (no detector calls back up)."""
    for path in Path(crawler.extract.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.startswith("crawler.listing")], path.name


# ---- a CMS family the built-in readers do not know: its list is a JSON endpoint named in a
# data attribute, and every answer names the next page -------------------------------------------

FAKE_PAGE = wrap("<div class='fk-list' data-fk-api='/fk/api?p=1'></div><p>政务公开</p>")
FAKE_ANSWERS = {
    "/fk/api?p=1": {"rows": [{"u": "/fk/a1.html", "t": "关于甲的通知", "d": "2023-01-02"},
                             {"u": "/fk/a2.html", "t": "关于乙的通知", "d": "2023-01-05"}], "next": "/fk/api?p=2"},
    "/fk/api?p=2": {"rows": [{"u": "/fk/a3.html", "t": "关于丙的公告", "d": "2023-02-01"}], "next": None},
}


def fake_read(meta, url, body, content_type, ctx):
    answer = json.loads(body)
    page_url = meta["page_url"]
    result = ListPage(style="fake_cms", entries=[
        ListEntry(url=urljoin(page_url, r["u"]), title=r["t"], full_title=r["t"], date_raw=r["d"], date=r["d"])
        for r in answer["rows"]])
    if answer["next"]:
        result.next_pages = [request(urljoin(page_url, answer["next"]), "fake_cms", page_url)]
    return result


def fake_detect(page, ctx):
    api = next((el.get("data-fk-api") for el in page.tree.iter("div") if el.get("data-fk-api")), None)
    if api is None:
        return None
    return ListPage(style="fake_cms", next_pages=[request(page.resolve(api), "fake_cms", page.url)])


FAKE_CMS = types.SimpleNamespace(name="fake_cms", evidence=CERTAIN, detect=fake_detect, read_response=fake_read)


@pytest.fixture
def fake_cms_registered(monkeypatch):
    monkeypatch.setattr(registry, "READERS", [registry.READERS[0], FAKE_CMS, *registry.READERS[1:]])


def html_response(url, body: str):
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=Request(url))


def test_the_fake_cms_is_unknown_until_registered():
    url = BASE + "/fk/col/"
    page, _text, _enc = page_of(html_response(url, FAKE_PAGE), url)
    assert read_list(url, page) is None
    assert classify_page(url, page) == "other"


def test_a_registered_reader_is_consulted_by_list_reading_and_classify_page(fake_cms_registered):
    url = BASE + "/fk/col/"
    page, _text, _enc = page_of(html_response(url, FAKE_PAGE), url)     # as the spider parses a column
    first = read_list(url, page, max_pages=50, profile_rules=[])
    assert first.style == "fake_cms" and first.next_pages[0]["reader"] == "fake_cms"
    assert classify_page(url, page) == "list"
    assert classify_page(url, FAKE_PAGE) == "list"                      # a fresh page asks the reader too

    walk = ListWalk(url)
    queue = walk.add(first, url)
    while queue:
        req = queue.pop(0)
        path = req["url"][len(BASE):]
        answer = TextResponse(req["url"], body=json.dumps(FAKE_ANSWERS[path]).encode(), encoding="utf-8",
                              headers={"Content-Type": "application/json"})
        queue.extend(walk.add(read_response(req, req["url"], answer.text, "application/json"), req["url"]))
    assert [e.url for e in walk.entries] == [BASE + f"/fk/a{i}.html" for i in (1, 2, 3)]
    assert walk.style == "fake_cms"


def test_classify_page_does_not_ask_the_readers_again_after_read_list(monkeypatch):
    calls = []

    def counting_detect(page, ctx):
        calls.append(page.url)
        return None

    counting = types.SimpleNamespace(name="counting", evidence=CERTAIN, detect=counting_detect,
                                     read_response=fake_read)
    monkeypatch.setattr(registry, "READERS", [*registry.READERS, counting])
    url = BASE + "/art/2023/11/10/art_1_1.html"
    page, _text, _enc = page_of(html_response(url, load("doc_no_meta.html")), url)
    assert read_list(url, page) is None and len(calls) == 1
    assert classify_page(url, page) == "document" and len(calls) == 1
    assert classify_page(url, load("doc_no_meta.html")) == "document" and len(calls) == 2


def test_a_framed_list_request_stored_by_an_earlier_scan_is_still_read():
    """Replayed follow-up requests of older scans name the frame reader "auto"."""
    spec = {"url": BASE + "/col/list.html", "method": "GET", "body": None, "headers": {}, "reader": "auto",
            "page_url": BASE + "/col/", "frame_of": BASE + "/col/"}
    framed = read_response(spec, BASE + "/col/list.html", load("list_generic_table.html"), "text/html")
    assert framed.style == "generic" and len(framed.entries) == 3
    with pytest.raises(ValueError, match="unknown list reader"):
        read_response({**spec, "reader": "nonesuch"}, spec["url"], "", "text/html")


def test_the_profile_reader_is_reader_zero():
    """A profile rule wins over a page every built-in reader would also read."""
    url = BASE + "/col/col33718/index.html"
    html = load("list_hanweb.html")
    assert read_list(url, html).style == "hanweb_datastore"
    rules = [{"url_pattern": re.escape("/col/col33718/"), "item": "record", "link": "a::attr(href)"}]
    assert read_list(url, html, profile_rules=rules).style == "profile"


def test_the_design_docs_worked_example_is_a_working_reader(monkeypatch):
    """docs/design.md "Add a CMS family": its module, registered, reads the list and classifies."""
    design = Path(__file__).parents[2] / "docs" / "design.md"
    section = design.read_text(encoding="utf-8").split("### Add a CMS family", 1)[1]
    source = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    foocms = types.ModuleType("crawler.listing.foocms")
    exec(compile(source, "foocms.py", "exec"), foocms.__dict__)
    monkeypatch.setattr(registry, "READERS", [*registry.READERS[:5], foocms, *registry.READERS[5:]])

    url = BASE + "/foo/col/"
    html = wrap("<div data-foo-api='/foo/api?page=1'></div>")
    first = read_list(url, html)
    assert first.style == "foo_cms" and classify_page(url, html) == "list"
    answers = {1: {"rows": [{"url": "/foo/1.html", "title": "关于甲的通知", "date": "2023-03-01"}],
                   "next": "/foo/api?page=2"},
               2: {"rows": [{"url": "/foo/2.html", "title": "关于乙的通知", "date": "2023-03-02"}]}}
    walk = ListWalk(url)
    queue = walk.add(first, url)
    while queue:
        req = queue.pop(0)
        body = json.dumps(answers[int(req["url"].rsplit("=", 1)[1])])
        queue.extend(walk.add(read_response(req, req["url"], body, "application/json"), req["url"]))
    assert [(e.url, e.date) for e in walk.entries] == [(BASE + "/foo/1.html", "2023-03-01"),
                                                       (BASE + "/foo/2.html", "2023-03-02")]
