"""govaudit: audit a Chinese government website's 政务公开 content.

Flow: crawl (``crawler``) -> snapshot DB (``govaudit.core.storage``) -> audits (``audits``)
-> findings -> report files (``govaudit.report`` with ``templates/``).
"""
__version__ = "0.1.0"
