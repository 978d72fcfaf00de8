"""Pure extraction: HTML text in, facts out.  No Scrapy, no network, no judging.

The spider calls only these entry points (signatures are the seam; keep them stable).  Every
``html`` argument may be a str, an lxml tree, or a ``crawler.extract.html.Page`` — build one
``Page(url, text)`` per response and pass it to every call so the page is parsed once.

* ``crawler.extract.dates.parse_date(text) -> str | None``
      First date in ``text`` as ISO ``YYYY-MM-DD`` (2023-11-10, 2023/11/10, 2023.11.10,
      2023年11月10日, with or without time, full-width digits, 二〇二三年十一月十日); None if there
      is none or it is not a calendar date.
* ``crawler.extract.fields.extract_fields(html_or_tree) -> tuple[dict, list]``
      Visible label/value metadata in every common layout (2- or 4-cell table rows, p/strong,
      ul/li/span, dl/dt/dd, "label：value" text), labels with inner spaces and ASCII/full-width
      colons, synonyms folded to the canonical names of ``CANONICAL_FIELDS`` (``FIELD_SYNONYMS``).
      Returns ({canonical: value}, [[label as seen, value], ...]).  Heuristics: fields.py docstring.
* ``crawler.extract.document.extract_document(url, html) -> DocumentFacts``
      Full title (never the truncated list text) and ``title_source``, fields/fields_raw, metas,
      publish/written dates (ISO, from the visible fields only), body text, attachments
      ([{"url", "name"}]), 解读 links (``interpretation_links``: LinkRef), 原文 back-links
      (``original_links``), every outgoing link (``links``), ``looks_like_interpretation`` (title
      or a 解读 column), ``column_name`` and ``breadcrumb``.
* ``crawler.extract.relations.looks_like_interpretation(title) -> bool``
* ``crawler.extract.page.page_facts(url, html, homepage=False) -> dict``
      lang, imgs_total / imgs_without_alt (+ sample srcs), controls_without_label (+ sample),
      accessibility_entry / care_entry (+ the entries), site_id_code (网站标识码), icp,
      police_record (公网安备), metas (47号 set present) / metas_missing, search_box, title,
      dated_items ([{"url", "title", "date"}] of dated links, then those shown with a month and day
      only, date None and date_raw as shown; homepage=True only, for 首页更新).
* ``crawler.extract.page.outgoing_links(url, html) -> list[LinkRef]``
      a[href], area[href], img[src], iframe/frame[src]; tag 'attachment' for files.
* ``crawler.extract.page.find_accessibility_entries(url, html) -> dict``  (无障碍 / 关怀版)
* ``crawler.extract.soft404.looks_like_soft404(status, text, size) -> bool``
      ``text`` may be HTML or plain text; thresholds are keyword arguments (MAX_TEXT_CHARS …).
* ``crawler.extract.soft404.similar_pages(a, b) -> bool`` / ``page_similarity(a, b) -> float``
* ``crawler.extract.encoding.decode_html(body: bytes, content_type) -> (text, encoding)``
* ``crawler.extract.navigation.find_column_links(url, html) -> list[NavLink]``
      Links that look like columns (navigation/menu/tree items, 信息公开 catalogue entries,
      unit sub-site entries), with their visible names, the group they sit in (``group``,
      ``path`` outermost first), ``kind`` column|unit, ``unit_kind`` department|town, ``region``.
* ``crawler.extract.navigation.find_gongkai_entry(url, html) -> NavLink | None``
* ``crawler.extract.entries``: list items → ListEntry (``best_group``, ``entries_of``,
      ``list_entries``, ``dated_entries``, ``placeholder_text``), shared by the list readers,
      navigation and page facts.
* ``crawler.extract.urls.canonical_url / absolute_url / is_attachment_url``

List readers, and ``classify_page`` (which kind of page a link led to, from the markup and the
readers), live in ``crawler.listing``, which builds on this package; nothing here imports it.
"""
