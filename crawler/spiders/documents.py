"""The spider's document pages: a document, its attachments and the 解读 / 原文 it links, a 304
on a re-scan, and the article a 'single' column shows inline.  A mixin of ``GongkaiSpider``
(crawler/spiders/gongkai.py), which owns the state these methods use (scope, frontier, files)."""
from __future__ import annotations

from crawler import items as it
from crawler.extract.document import extract_document
from crawler.linkcheck import soft404_facts
from crawler.pagerecords import document_item, page_item, page_links, relation_refs
from crawler.requestinfo import RequestInfo, info_of
from crawler.responses import bundled, page_of


class DocumentPages:
    @bundled
    def parse_document(self, response):
        ga = info_of(response)
        if response.status == 304 and self.rescan.previous:
            yield from self.unchanged_document(response)
            return
        if response.status >= 400:
            yield from self.http_error(response, "document")
            return
        page, text, encoding = page_of(response, ga.url)
        facts = extract_document(ga.url, page)
        signature = soft404_facts(response, page, text)
        signature["document_fields"] = len(facts.fields)
        if facts.unread_labels:      # labels of the block no known label reads: no proof a field is missing
            signature["unread_labels"] = facts.unread_labels[:20]
        signature["related"] = [self.scope.canonical(r.url) for r in (*facts.interpretation_links, *facts.original_links)]
        page_row = page_item(response, "document", page, encoding, signature)
        yield page_row
        # Stored even when it says "页面不存在": whether it is a soft 404 is the audits' call.
        self.crawler.stats.inc_value("govaudit/documents")
        yield document_item(response, ga.url, ga.unit, ga.column, facts, encoding, page_row.content_hash)
        yield from page_links(self.scope, response, page, refs=facts.links)
        yield from self.spider_view.requests_for(ga.url, facts.title)
        yield from self.files.requests(self, ga, facts.attachments)
        for kind, url, anchor in relation_refs(self.scope, facts):
            yield it.RelationItem(src_url=ga.url, dst_url=url, kind=kind, anchor=anchor)
            yield from self.follow_related(ga, url)
        yield from self.frontier.done(response)

    async def parse_attachment(self, response):
        """A file a document links to: fetched and read by the ``Attachments`` component."""
        async for out in self.files.parse(self, response):
            yield out

    def on_attachment_error(self, failure):
        yield from self.files.failed(self, failure)

    def unchanged_document(self, response):
        """304 Not Modified: the previous scan's facts are this scan's facts."""
        ga = info_of(response)
        yield self.rescan.unchanged_document(ga.url)
        for url in response.meta.get("previous_related") or ():
            yield from self.follow_related(ga, url)
        yield from self.frontier.done(response)

    def follow_related(self, ga, url):
        """A 解读 / 原文 linked from a document is fetched as a document too (if in scope)."""
        if self.scope.allows(url):
            doc_ga = RequestInfo("document", column=None, unit=ga.unit, section=ga.section, conditional=True)
            yield from self.frontier.emit(self.make(url, "parse_document", doc_ga))

    def inline_document(self, response, ga, page, encoding, content_hash):
        """The article a 'single' column shows inline (政府信息公开指南, 机构职能) is a document of that
        column too: the rules that read a page's text (the guide's duties, wording, privacy) judge it."""
        facts = extract_document(ga.url, page)
        self.crawler.stats.inc_value("govaudit/documents")
        yield document_item(response, ga.url, ga.unit, ga.url, facts, encoding, content_hash)
        doc_ga = RequestInfo("document", column=ga.url, unit=ga.unit, section=ga.section)
        yield from self.files.requests(self, doc_ga, facts.attachments)
        for kind, url, anchor in relation_refs(self.scope, facts):
            yield it.RelationItem(src_url=ga.url, dst_url=url, kind=kind, anchor=anchor)
            yield from self.follow_related(doc_ga, url)
