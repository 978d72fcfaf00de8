"""The failure of a request refused, or not made, because its host blocks the crawler
(``crawler.blocking``): the spider and the link checker leave such requests open for ``--resume``.
``Refused``: a challenge page or cookie loop that answered every ask of one URL, alone."""
from scrapy.exceptions import IgnoreRequest

BLOCKED = "blocked"     # link.detail of a link check not made because of a block


class Blocked(IgnoreRequest):
    """Not fetched: the host refuses this crawler (the scan can be resumed later)."""


REFUSED = "refused"     # fetch_error.error / attachment.detail prefix of a ``Refused`` answer


class Refused(IgnoreRequest):
    """A 200 JS challenge page or a cookie redirect loop that one URL answered to every ask while the
    host served others: not the page's content (never read as a page), not a block either.  The
    link check calls it inconclusive; ``--resume`` asks again (``crawler.refused``)."""

    def __init__(self, kind: str):
        super().__init__(f"{REFUSED}: {kind}")
