"""Scrapy's filesystem HTTP cache, without a ``pathlib`` path per request.

``pathlib`` interns every component of every path it parses (``sys.intern``), and Scrapy's
``FilesystemCacheStorage`` parses the path of a request's fingerprint several times a request.
On Python 3.11 the churn doubled the interpreter's table of interned strings during a crawl of
10⁵ documents (1.9 MB that stayed); on 3.12, where an interned string is never freed, it keeps
every fingerprint: 26 MB for 200,000 paths (docs/performance.md, "Nineteenth pass").  Here the
paths are plain strings.  The directory layout and files are Scrapy's own, so a cache written by
either is read by the other.
"""
from __future__ import annotations

import os
import pickle
from time import time

from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.utils.python import to_bytes
from scrapy.utils.response import response_from_dict
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

# What ``response_data`` leaves out: stored in files of their own.
_OWN_FILES = frozenset({"url", "status", "headers", "body"})


class CacheStorage(FilesystemCacheStorage):
    """``HTTPCACHE_STORAGE``: Scrapy's filesystem storage, with string paths."""

    def _get_request_path(self, spider, request) -> str:
        key = self._fingerprinter.fingerprint(request).hex()
        return os.path.join(self.cachedir, spider.name, key[0:2], key)

    def _read(self, path: str) -> bytes:
        with self._open(path, "rb") as fh:
            return fh.read()

    def _write(self, path: str, data: bytes) -> None:
        with self._open(path, "wb") as fh:
            fh.write(data)

    def _read_meta(self, spider, request):
        meta = os.path.join(self._get_request_path(spider, request), "pickled_meta")
        try:
            mtime = os.stat(meta).st_mtime
        except FileNotFoundError:
            return None
        if 0 < self.expiration_secs < time() - mtime:
            return None
        return pickle.loads(self._read(meta))      # noqa: S301  (written by this storage)

    def retrieve_response(self, spider, request):
        metadata = self._read_meta(spider, request)
        if metadata is None:
            return None
        path = self._get_request_path(spider, request)
        data = {"url": metadata["response_url"], "status": metadata["status"],
                "headers": headers_raw_to_dict(self._read(os.path.join(path, "response_headers"))),
                "body": self._read(os.path.join(path, "response_body"))}
        extra = os.path.join(path, "response_data")
        if os.path.exists(extra):
            data.update(pickle.loads(self._read(extra)))      # noqa: S301
        request.meta["cache_timestamp"] = metadata["timestamp"]
        return response_from_dict(data)

    def store_response(self, spider, request, response) -> None:
        path = self._get_request_path(spider, request)
        os.makedirs(path, exist_ok=True)
        metadata = {"url": request.url, "method": request.method, "status": response.status,
                    "response_url": response.url, "timestamp": time()}
        self._write(os.path.join(path, "meta"), to_bytes(repr(metadata)))
        self._write(os.path.join(path, "pickled_meta"), pickle.dumps(metadata, protocol=4))
        self._write(os.path.join(path, "response_headers"), headers_dict_to_raw(response.headers))
        self._write(os.path.join(path, "response_body"), response.body)
        extra = {k: v for k, v in response.to_dict().items() if k not in _OWN_FILES}
        self._write(os.path.join(path, "response_data"), pickle.dumps(extra, protocol=4))
        self._write(os.path.join(path, "request_headers"), headers_dict_to_raw(request.headers))
        self._write(os.path.join(path, "request_body"), request.body)
