"""Why a start URL could not be read, in the words of the report and of the one error line: the
user can open that URL in a browser, so "refused" or "out of scope" would tell them nothing."""
from __future__ import annotations

from crawler.blocked import Refused
from crawler.scope import OutOfScope

# What a start page refused as no page (``crawler.blocking``) looks like to the user, who can open it.
_REFUSED_START_PAGE = {
    "JS challenge page": "首页是网站防护的验证页面（脚本设置 Cookie 或跳转），本工具无法通过，"
                         "请网站运维放行本工具 / the homepage is an anti-bot check page",
    "cookie redirect loop": "首页反复跳转并设置 Cookie，为网站防护的验证，请网站运维放行本工具 / a cookie "
                            "redirect loop (anti-bot check)",
}


def unreachable_start_page(exc: BaseException, detail: str) -> str:
    """The parenthesis of the "start URL unreachable" line (exit 4)."""
    return _REFUSED_START_PAGE.get(getattr(exc, "kind", None), detail) if isinstance(exc, Refused) else detail


def unread_start_page(exc: BaseException, detail: str) -> str:
    """Why the start page was not read, for the report (the 无法评价 reason)."""
    if isinstance(exc, OutOfScope):
        return (f"跳转到检查范围以外的网址 {exc.url}，该网址属于本网站的，请以它作为起始网址，"
                "或在站点配置 allowed_hosts 中加入其主机")
    if "robots.txt" in detail:
        return "网站 robots.txt 禁止抓取"
    return detail
