"""The failure of a request refused, or not made, because its host blocks the crawler
(``crawler.blocking``): the spider and the link checker leave such requests open for ``--resume``."""
from scrapy.exceptions import IgnoreRequest

BLOCKED = "blocked"     # link.detail of a link check not made because of a block


class Blocked(IgnoreRequest):
    """Not fetched: the host refuses this crawler (the scan can be resumed later)."""
