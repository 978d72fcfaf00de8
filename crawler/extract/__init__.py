"""Pure extraction: HTML text in, facts out.  No Scrapy, no network, no judging.

The spider calls only these entry points (signatures are the seam; keep them stable):

* ``crawler.extract.dates.parse_date(text) -> str | None``
      First date in ``text`` as ISO ``YYYY-MM-DD`` (2023-11-10, 2023/11/10, 2023.11.10,
      2023年11月10日, with or without time, full-width digits); None if there is none.
* ``crawler.extract.fields.extract_fields(html_or_tree) -> tuple[dict, list]``
      Visible label/value metadata in every common layout (2- or 4-cell table rows, p/strong,
      ul/li/span, dl/dt/dd, "label：value" text), labels with inner spaces and ASCII/full-width
      colons, synonyms folded to the canonical names of ``CANONICAL_FIELDS``.
      Returns ({canonical: value}, [[label as seen, value], ...]).
* ``crawler.extract.document.extract_document(url, html) -> DocumentFacts``
      Full title (never the truncated list text), fields, metas, publish/written dates (ISO),
      body text, attachments, 解读 links (``interpretation_links``), 原文 back-links
      (``original_links``), every outgoing link, and ``looks_like_interpretation``.
* ``crawler.extract.page.page_facts(url, html) -> dict``
      Page-level facts for audits that must not see HTML: html lang, imgs without alt,
      无障碍/关怀版 entries, footer 网站标识码/ICP/公安备案, 47号 metas, form controls
      without labels, search box present.
* ``crawler.extract.page.outgoing_links(url, html) -> list[LinkRef]``
* ``crawler.extract.soft404.looks_like_soft404(status, text, size) -> bool``
* ``crawler.extract.navigation.find_column_links(url, html) -> list[NavLink]``
      Links that look like columns (navigation/menu/tree items, 信息公开 catalogue entries,
      unit sub-site entries), with their visible names and the name of the group they sit in.
* ``crawler.extract.navigation.classify_page(url, html) -> str``
      'list' | 'document' | 'hub' | 'other', from the markup (list structures, metadata
      blocks, body length), not from any one site's URL scheme.

List readers live in ``crawler.listing`` (one module per paging idiom).
"""
