"""The crawler's HTTP cache storage: Scrapy's files and layout, without interning a string per
request (crawler/httpcache.py)."""
import sys

import pytest
from scrapy import Request, Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.httpcache import CacheStorage


def _storage(cls, tmp_path):
    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(tmp_path / "httpcache")})
    spider = Spider.from_crawler(crawler, name="gongkai")
    storage = cls(crawler.settings)
    storage.open_spider(spider)
    return storage, spider


def _page(i: int):
    request = Request(f"http://127.0.0.1/col/{i}/index.html")
    response = HtmlResponse(request.url, status=200, request=request, body=f"<p>第{i}页</p>".encode(),
                            headers={"ETag": f'"e{i}"', "Content-Type": "text/html; charset=utf-8"})
    return request, response


@pytest.mark.parametrize("writer, reader", [(CacheStorage, CacheStorage),
                                            (FilesystemCacheStorage, CacheStorage),
                                            (CacheStorage, FilesystemCacheStorage)])
def test_a_stored_page_comes_back_whole_whichever_storage_wrote_it(tmp_path, writer, reader):
    store, spider = _storage(writer, tmp_path)
    request, response = _page(7)
    store.store_response(spider, request, response)
    load, spider = _storage(reader, tmp_path)
    again = Request(request.url)
    cached = load.retrieve_response(spider, again)
    assert (cached.url, cached.status, cached.body) == (response.url, 200, response.body)
    assert cached.headers.get("ETag") == b'"e7"' and isinstance(cached, HtmlResponse)
    assert "cache_timestamp" in again.meta
    assert load.retrieve_response(spider, Request("http://127.0.0.1/col/8/index.html")) is None


def test_no_string_is_interned_per_request(tmp_path, monkeypatch):
    # pathlib interns each component of a path: with Scrapy's storage every request's fingerprint
    # (forever, on Python 3.12).
    def counted(cls):
        store, spider = _storage(cls, tmp_path / cls.__name__)
        interned = []
        real = sys.intern
        monkeypatch.setattr(sys, "intern", lambda s: interned.append(s) or real(s))
        for i in range(100):
            request, response = _page(i)
            assert store.retrieve_response(spider, request) is None
            store.store_response(spider, request, response)
            assert store.retrieve_response(spider, Request(request.url)).body == response.body
        monkeypatch.setattr(sys, "intern", real)
        return interned

    assert len(counted(FilesystemCacheStorage)) >= 300
    assert counted(CacheStorage) == []
