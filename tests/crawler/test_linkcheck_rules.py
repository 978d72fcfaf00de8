"""How a link-check answer is classified (the network-free part; the rest runs over HTTP)."""
import pytest
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from crawler.linkcheck import (
    PageSignature,
    looks_like_js_challenge,
    outcome_for_failure,
    outcome_for_status,
    soft404_outcome,
)


@pytest.mark.parametrize("status,outcome", [
    (200, "ok"), (301, "ok"), (404, "http_4xx"), (410, "http_4xx"), (500, "http_5xx"), (503, "http_5xx"),
    (403, "http_4xx"), (412, "http_4xx"), (418, "http_4xx"), (429, "http_4xx"), (None, "error"),
])
def test_status_outcomes(status, outcome):
    assert outcome_for_status(status) == outcome


def _failure(exc):
    try:
        raise exc
    except Exception:
        return Failure()


@pytest.mark.parametrize("exc,outcome", [
    (net_error.DNSLookupError("no such host"), "dns"),
    (net_error.TimeoutError(), "timeout"),
    (net_error.TCPTimedOutError(), "timeout"),
    (net_error.ConnectionRefusedError(), "error"),
])
def test_failure_outcomes(exc, outcome):
    got, detail = outcome_for_failure(_failure(exc))
    assert got == outcome
    assert "\n" not in detail


@pytest.mark.parametrize("name,outcome", [
    ("CannotResolveHostError", "dns"), ("DownloadTimeoutError", "timeout"),
    ("DownloadConnectionRefusedError", "error"), ("IgnoreRequest", "unchecked"),
])
def test_scrapy_wrapped_failure_outcomes(name, outcome):
    import scrapy.exceptions

    cls = getattr(scrapy.exceptions, name, None)
    if cls is None:
        pytest.skip(f"this Scrapy has no {name}")
    assert outcome_for_failure(_failure(cls("wrapped")))[0] == outcome


def test_tls_failure_is_tls():
    from OpenSSL import SSL

    got, _ = outcome_for_failure(_failure(SSL.Error([("SSL routines", "", "certificate verify failed")])))
    assert got == "tls"


def test_js_challenge_shell_is_recognised_but_a_small_real_page_is_not():
    shell = b"<html><head><script>document.cookie='x=1';location.reload()</script></head><body></body></html>"
    assert looks_like_js_challenge(shell, 200, 2048)
    real = "<html><body><p>区财政局2023年部门预算公开说明，详见附件。</p><script>x()</script></body></html>".encode()
    assert not looks_like_js_challenge(real, 200, 2048)
    assert not looks_like_js_challenge(shell, 404, 2048)


def test_a_script_rendered_page_is_not_a_challenge():
    """An empty mount element and an external script is a page of its own (a profile may read its
    data endpoint); refused as a challenge it was never stored."""
    app = b"<html><body><div id='app'></div><script src='/app.js'></script></body></html>"
    assert not looks_like_js_challenge(app, 200, 2048)
    boot = b"<html><body><div id='app'></div><script>window.__CONFIG__={col:'tzgg'}</script></body></html>"
    assert not looks_like_js_challenge(boot, 200, 2048)
    ruishu = (b"<html><head><meta id='x' content='abc'><script r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
              b"$_ts.nsd=123;</script><script src='/a/b.js' r='m'></script></head><body></body></html>")
    assert looks_like_js_challenge(ruishu, 200, 2048)


def test_soft404_needs_the_page_test_or_the_probe_and_never_hits_the_start_page():
    page = PageSignature(200, "提示", 40, "d1")
    probe_200_same = PageSignature(200, "提示", 42, "d2")
    probe_404 = PageSignature(404, "", 0, "")
    assert soft404_outcome(True, page, probe_404, False)[0]          # page says so; host 404s properly
    assert soft404_outcome(False, page, probe_200_same, False)[0]    # same page as a random path
    assert not soft404_outcome(False, page, probe_404, False)[0]
    assert not soft404_outcome(True, page, probe_200_same, True)[0]  # the homepage itself
    assert not soft404_outcome(True, PageSignature(404), None, False)[0]


def test_failure_detail_says_what_failed_once():
    """Twisted's DNSLookupError already reads "DNS lookup failed: …"; Scrapy re-wraps that text."""
    import scrapy.exceptions

    dns = net_error.DNSLookupError("no results for hostname lookup: old.jnzq.gov.cn")
    failures = [dns]
    if hasattr(scrapy.exceptions, "CannotResolveHostError"):
        try:
            raise scrapy.exceptions.CannotResolveHostError(str(dns)) from dns
        except Exception as wrapped:
            failures.append(wrapped)
    for exc in failures:
        outcome, detail = outcome_for_failure(_failure(exc))
        assert outcome == "dns"
        assert detail.lower().count("dns lookup failed") == 1, detail
        assert "old.jnzq.gov.cn" in detail
    assert outcome_for_failure(_failure(ValueError("boom")))[1] == "ValueError: boom"
