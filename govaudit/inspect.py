"""``govaudit inspect URL`` / ``govaudit inspect FILE --url URL``: what the crawler reads on one
page — the first tool to reach for when writing a profile for a new site.

Page kind and why, titles (visible and meta), every field with its raw label, list items with
their dates and the reader that read them, next-page requests, 解读/原文 relations, links hidden
from every reader (how, and the element hiding them), breadcrumb and the evidence for the column's
parent.  The same extractors as the crawl; nothing is stored.
A URL is fetched once, with the crawl's User-Agent, and only when robots.txt allows it.
"""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from crawler import listing
from crawler.extract.document import document_evidence, extract_document
from crawler.extract.encoding import decode_html
from crawler.extract.hidden import link_hiding
from crawler.extract.html import Page
from crawler.extract.position import breadcrumb_trail, highlighted_item
from crawler.listing.base import DECLINED
from crawler.listing.classify import page_kind
from crawler.settings import USER_AGENT, settings_from_profile
from govaudit.core.errors import EXIT_UNREACHABLE, EXIT_USAGE, GovauditError
from govaudit.core.profile import load_profile

TIMEOUT = 20
MAX_BYTES = 20 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "")


def _get(url: str, agent: str, method: str = "GET", body: str | None = None,
         headers: dict | None = None) -> tuple[int, str, bytes]:
    # The User-Agent's bytes as Scrapy sends them (UTF-8); urllib writes header text as Latin-1.
    wire_agent = agent.encode("utf-8").decode("latin-1")
    req = urllib.request.Request(url, data=body.encode("utf-8") if body is not None else None, method=method,
                                 headers={**(headers or {}), "User-Agent": wire_agent,
                                          "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read(MAX_BYTES)
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", "") if e.headers else "", b""


def fetch(url: str, agent: str = USER_AGENT, obey_robots: bool = True, method: str = "GET",
          body: str | None = None, headers: dict | None = None) -> tuple[bytes, str]:
    """(body, content type) of ``url``, asked once with ``agent`` if its robots.txt allows."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GovauditError(f"不是 http(s) 网址 / not an http(s) URL: {url}", EXIT_USAGE)
    try:
        if obey_robots:
            robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
            status, _, rules = _get(robots_url, agent)
            if status == 200 and not Protego.parse(rules.decode("utf-8", "replace")).can_fetch(url, agent):
                raise GovauditError(f"robots.txt 禁止抓取 / disallowed by robots.txt: {url}", EXIT_UNREACHABLE)
        status, ctype, answer = _get(url, agent, method, body, headers)
    except GovauditError:
        raise
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GovauditError(f"无法访问 / unreachable: {url} ({reason})", EXIT_UNREACHABLE) from None
    if status >= 400:
        raise GovauditError(f"无法访问 / unreachable: {url} (HTTP {status})", EXIT_UNREACHABLE)
    return answer, ctype


def _is_html(body: bytes, ctype: str) -> bool:
    if ctype.split(";")[0].strip().lower() not in HTML_TYPES and "html" not in ctype.lower():
        return False
    head = body[:2048].lstrip().lower()
    return b"<" in head[:64] and not head.startswith(b"%pdf") and b"\x00" not in body[:1024]


def first_answer(facts: dict, fetch_follow_up) -> None:
    """A list whose page shows no items (a JS shell, a framed list): ask its first follow-up
    request once, as the crawl would, and show what the reader named in it reads there."""
    lst = facts["list"]
    if not lst or lst["items"] or not lst["next_pages"]:
        return
    spec = facts.pop("_specs")[0]
    body, ctype = fetch_follow_up(spec)
    text, _ = decode_html(body, ctype)
    answer = listing.read_response(spec, spec["url"], text, ctype)
    lst["first_answer"] = {"request": spec["url"], "reader": spec.get("reader"), "total": answer.total}
    lst["items"] = _items(answer)


def _items(found) -> list[dict]:
    return [{"title": e.full_title or e.title, "url": e.url, "date": e.date, "date_raw": e.date_raw}
            for e in found.entries]


def inspect_page(url: str, body: bytes, ctype: str = "") -> dict:
    """Everything the crawler reads on one page, as plain data."""
    text, encoding = decode_html(body, ctype)
    page = Page(url, text)
    found = listing.read_list(url, page)
    kind, why = ("list", f"list reader {found.style}") if found is not None else page_kind(url, page)
    facts = extract_document(url, page)
    return {
        "url": url,
        "encoding": encoding,
        "kind": kind,
        "why": why,
        "document_evidence": document_evidence(page),
        "declined_readers": dict(page.memo.get(DECLINED, {})),
        "title": {"shown": facts.title, "source": facts.title_source, "meta": facts.meta_title,
                  "title_tag": page.title_tag},
        "fields": [{"label": r[0], "shown_as": r[3] if len(r) > 3 else r[0], "canonical": r[2] if len(r) > 2 else None,
                    "value": r[1]} for r in facts.fields_raw],
        "unread_labels": [{"label": label, "value": value} for label, value in facts.unread_labels],
        "list": None if found is None else {
            "reader": found.style, "total": found.total, "placeholder": found.placeholder,
            "items": _items(found),
            "next_pages": [{k: v for k, v in spec.items() if k in ("url", "method", "body", "reader")}
                           for spec in found.next_pages]},
        "relations": {"interpretation": [{"url": r.url, "anchor": r.anchor} for r in facts.interpretation_links],
                      "original": [{"url": r.url, "anchor": r.anchor} for r in facts.original_links]},
        "breadcrumb": breadcrumb_trail(page),
        "highlighted": highlighted_item(page, facts.column_name),
        "column_name": facts.column_name,
        "attachments": facts.attachments,
        "hidden_links": _hidden_links(url, page),
        "_specs": found.next_pages if found is not None else [],
    }


def _line(out, label: str, value) -> None:
    out.append(f"{label}: {value}")


def render_text(facts: dict) -> str:
    out: list[str] = []
    _line(out, "网址 / URL", facts["url"])
    _line(out, "页面类型 / kind", f"{facts['kind']} — {facts['why']}")
    for reader, why in facts["declined_readers"].items():
        _line(out, "  未采用的列表读取 / declined reader", f"{reader}: {why}")
    t = facts["title"]
    _line(out, "标题 / title", f"{t['shown']} ({t['source']})")
    if t["meta"] and t["meta"] != t["shown"]:
        _line(out, "  ArticleTitle meta", t["meta"])
    out.append("要素 / fields:" if facts["fields"] else "要素 / fields: (none shown)")
    for f in facts["fields"]:
        canon = f" → {f['canonical']}" if f["canonical"] else ""
        out.append(f"  {f['shown_as']} {f['value']!r}{canon}")
    for f in facts["unread_labels"]:       # a synonym to add to crawler/extract/labels.yaml, perhaps
        out.append(f"  未能识别 / unread: {f['label']}：{f['value']!r}")
    lst = facts["list"]
    if lst:
        out.append(f"列表 / list: reader {lst['reader']}, {len(lst['items'])} items"
                   + (f", total {lst['total']}" if lst["total"] is not None else "")
                   + (f", placeholder {lst['placeholder']!r}" if lst["placeholder"] else ""))
        if lst.get("first_answer"):
            a = lst["first_answer"]
            out.append(f"  列表数据 / items from the first follow-up answer ({a['reader']}): {a['request']}")
        for e in lst["items"]:
            out.append(f"  {e['date'] or '-':10}  {e['title']}  {e['url']}")
        for spec in lst["next_pages"]:
            out.append(f"  下一页 / next: {spec.get('method') or 'GET'} {spec['url']} ({spec.get('reader')})")
    for kind, label in (("interpretation", "解读 / interpretation"), ("original", "原文 / original")):
        for r in facts["relations"][kind]:
            _line(out, label, f"{r['anchor']} {r['url']}")
    for h in facts["hidden_links"]:         # the 暗链 audit judges these (off-site hosts, menus)
        _line(out, "隐藏链接 / hidden link", f"{h['url']} ({', '.join(h['how'])}; hidden by {h['block']})")
    crumbs = " > ".join(s["name"] + (f" <{s['url']}>" if s["url"] else "") for s in facts["breadcrumb"])
    _line(out, "当前位置 / breadcrumb", crumbs or "(none)")
    h = facts["highlighted"]
    _line(out, "导航高亮 / highlighted item", f"{h['name']} under {h['group'] or '-'}" if h else "(none)")
    parent = _parent_evidence(facts)
    _line(out, "上级栏目依据 / parent evidence", parent)
    return "\n".join(out)


def _hidden_links(url: str, page) -> list[dict]:
    """Links hidden from every reader, how, and the element hiding them (crawler/extract/hidden.py)."""
    hidden, _written, blocks = link_hiding(url, page, blocks=True)
    return [{"url": target, "how": how, "block": blocks.get(target)} for target, how in sorted(hidden.items())]


def _parent_evidence(facts: dict) -> str:
    """What the audits would decide this page's parent from (audits/tree.py, same order)."""
    trail = facts["breadcrumb"]
    if len(trail) >= 2:
        step = trail[-2]
        return f"breadcrumb: {step['name']}" + (f" <{step['url']}>" if step["url"] else "")
    path = urlsplit(facts["url"]).path
    if path.strip("/").count("/") >= 1 and not urlsplit(facts["url"]).query:
        return f"url: the column whose directory holds {path.rsplit('/', 2)[0]}/"
    if facts["highlighted"] and facts["highlighted"].get("group"):
        return f"nav: {facts['highlighted']['group']}"
    return "linked: the page the crawl reached it from"


def run_inspect(args) -> int:
    agent, obey = USER_AGENT, True
    if getattr(args, "profile", None):
        settings = settings_from_profile(load_profile(args.profile))
        agent = settings.get("USER_AGENT", agent)
        obey = settings.get("ROBOTSTXT_OBEY", True)
    target = args.target
    if args.url:
        path = Path(target)
        if not path.is_file():
            raise GovauditError(f"文件不存在 / file not found: {target}", EXIT_USAGE)
        body, ctype, url = path.read_bytes(), "", args.url
    else:
        url = target
        body, ctype = fetch(url, agent, obey)
    if not _is_html(body, ctype):
        raise GovauditError(f"不是 HTML 页面 / not an HTML page: {target} ({ctype or 'not HTML'})", EXIT_USAGE)
    facts = inspect_page(url, body, ctype)
    if not args.url:
        first_answer(facts, lambda spec: fetch(spec["url"], agent, obey, spec.get("method") or "GET",
                                               spec.get("body"), spec.get("headers")))
    facts.pop("_specs", None)
    if args.json:
        json.dump(facts, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(render_text(facts))
    return 0
