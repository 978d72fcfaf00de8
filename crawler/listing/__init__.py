"""List-page readers, one module per CMS family / paging idiom.

Seam used by the spider (keep stable):

* ``crawler.listing.read_list(url, html, headers=None) -> ListPage | None``
      Tries every reader on a column page and returns the one that recognises it
      (Hanweb ``<script type="text/xml"><datastore>`` + dataproxy.jsp, JS shell whose inline
      script names a JSON / HTML-fragment endpoint, TRS ``createPageHTML`` index_N.html,
      plain lists with 下一页/尾页, generic repeated link+date items).  None if the page is
      not a list.
* ``crawler.listing.read_response(request_meta, url, body_text, content_type) -> ListPage``
      Reads a follow-up page or data-endpoint response produced by ``ListPage.next_pages``
      (each next_pages dict carries a ``reader`` key naming the reader that understands it).

A new CMS family is one new reader module registered in ``READERS`` plus its tests.
"""
