"""Scrapy settings for the govaudit crawler.

Polite by default: government sites are small servers and often sit behind a WAF.
A site profile's ``politeness``/``crawl``/``link_check`` sections override these through
``settings_from_profile``; loopback benchmarks raise concurrency the same way (never by
recognising an address).
"""
from govaudit import __version__

BOT_NAME = "govaudit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

PROJECT_URL = "https://github.com/govaudit/govaudit"
USER_AGENT = f"govaudit/{__version__} (+{PROJECT_URL}; 政务公开检查)"

ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25                    # a floor: requests to one server never closer
DOWNLOAD_DELAY_JITTER = 0.5              # ... lengthened by up to 50 % at random
# Per-host limits that hold by construction (crawler/traffic.py): a request counts against its
# host's concurrency as soon as it is dispatched, and hosts on one address share one slot.
DOWNLOADER = "crawler.traffic.PoliteDownloader"
GOVAUDIT_SLOTS_BY_ADDRESS = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024      # pages; attachments have their own cap (per request)
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = True                   # some WAFs set a cookie then redirect to self
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"

# A scan row still `running` whose process cannot be checked (it ran on another host, or was
# written by a version that did not record its pid) counts as interrupted after this many hours.
GOVAUDIT_STALE_RUNNING_HOURS = 24
# The crawl child treats a second SIGINT/SIGTERM within this many seconds of the first as the
# same interruption (Ctrl-C reaches the runner and the child; systemd signals both) rather
# than as a request to stop at once.
GOVAUDIT_SIGNAL_REPEAT_SECONDS = 2.0

# The scan's DB-backed frontier (seeded on resume): the spider admits requests through it.
DUPEFILTER_CLASS = "crawler.frontier.Frontier"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# Documents before further list pages before new columns keeps the queue short.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Waiting requests are pickled to disk (Scrapy's JOBDIR queues, in a temporary directory of the
# crawl child, crawler/worker.py): a site with long lists kept 1,300 of them, 2.2 kB each.
GOVAUDIT_DISK_QUEUE = True
# Blocks of this many bytes or more get pages of their own, returned when freed (glibc's mallopt;
# govaudit/core/heap.py): on the heap they left holes that grew with the crawl.  0: glibc decides.
GOVAUDIT_MMAP_THRESHOLD = 64 * 1024
# KiB of SQLite pages each of the crawl's database connections caches (govaudit/core/storage.py):
# at SQLite's 2 MB, the caches of its half-dozen connections filled as the database grew.
# 0: SQLite's default.
GOVAUDIT_SQLITE_CACHE_KIB = 512
REACTOR_THREADPOOL_MAXSIZE = 4
# Item processing is synchronous (one Records item per page): Scrapy starts this many tasks for
# every callback's output, so more only costs CPU.
CONCURRENT_ITEMS = 2
# SCRAPER_SLOT_MAX_ACTIVE_SIZE stays Scrapy's 5 MB: an attachment is read while its answer counts
# in it, so a smaller one would stop the crawl during the read of every larger file
# (docs/performance.md, "Seventeenth pass").  The backlog is bounded by its number of answers
# instead (crawler/traffic.py); 0: no bound but Scrapy's.
GOVAUDIT_PARSE_BACKLOG = 32

# Per-request work Scrapy would do for nothing here: our ScopeMiddleware replaces the offsite
# filters (stricter: redirects included), and depth is not how this crawl is bounded.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    # It rebuilds every request and response as bytes to count them; the spider counts instead.
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
    # Scrapy's, with robots.txt applied to every request that waited for it (crawler/middlewares.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxt": 100,
    "crawler.middlewares.ScopeMiddleware": 50,
    "crawler.rescan.Rescan": 560,          # conditional requests, replay and trust on re-scans
    "crawler.sharedlimit.SharedHostLimit": 950,   # one limit per server across workers (Redis), after the cache
    "crawler.attachments.AttachmentBudget": 570,   # size cap of a file request, the scan's byte budget
    # Before the redirect middleware sees a response (a WAF's cookie-then-redirect-to-itself).
    "crawler.blocking.BlockWatch": 650,
}
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# Column and list pages are kept (on disk, next to the snapshot DB) and revalidated on the next
# scan; documents are revalidated against the previous scan's rows instead (no re-parsing).
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.middlewares.RevalidatingCachePolicy"
HTTPCACHE_DIR = "httpcache"              # the runner puts it next to the snapshot DB
HTTPCACHE_STORAGE = "crawler.httpcache.CacheStorage"     # Scrapy's layout, no pathlib per request
HTTPCACHE_EXPIRATION_SECS = 0
ITEM_PIPELINES = {
    "crawler.pipelines.SnapshotPipeline": 300,
}
EXTENSIONS = {
    "crawler.progress.ProgressReporter": 500,
    "crawler.traffic.TrafficStats": 510,
    "crawler.linkcheck.LinkChecker": 520,
    "crawler.endcheck.EndOfCrawlChecks": 530,
    "crawler.attachments.Attachments": 540,
    "crawler.heartbeat.CrawlHeartbeat": 550,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "scrapy.extensions.spiderstate.SpiderState": None,
    "scrapy.extensions.logstats.LogStats": None,
}

# ---- govaudit's own settings ---------------------------------------------------------------
GOVAUDIT_DB = None                   # SQLAlchemy URL of the snapshot DB
GOVAUDIT_SCAN_ID = None              # the scan row this crawl fills
GOVAUDIT_PREVIOUS_SCAN_ID = None     # a complete earlier scan of the same site: conditional requests
GOVAUDIT_RESUME = False
GOVAUDIT_PROFILE = None              # the validated profile dict
GOVAUDIT_SCOPE_UNIT = None
GOVAUDIT_SCOPE_COLUMN = None
GOVAUDIT_HEARTBEAT_SITE_ID = None    # a campaign site whose heartbeat this crawl keeps (crawler/heartbeat.py)
GOVAUDIT_HEARTBEAT_WORKER = None     # ... while this worker holds it
GOVAUDIT_HEARTBEAT_SECONDS = 10
GOVAUDIT_BATCH_SIZE = 500            # rows per DB transaction
GOVAUDIT_COPY_BATCH_SIZE = 5000      # ... or copied pages / done markers (a URL each, copied set-wise)
GOVAUDIT_FLUSH_SECONDS = 2.0         # ... or at least this often
GOVAUDIT_MAX_PAGES = None            # safety cap on fetched pages
GOVAUDIT_MAX_DEPTH = 8               # column-tree depth below the homepage
GOVAUDIT_MAX_LIST_PAGES = 1000       # per column, against endless pagination
GOVAUDIT_IGNORE_PARAMS = []          # no-op query parameters such as topSearch (profile)
GOVAUDIT_EXCLUDE_PATTERNS = []       # URL regexes never crawled (profile)
GOVAUDIT_ALLOWED_HOSTS = []          # hosts besides the start hosts that may be crawled
GOVAUDIT_LINK_CHECK = True
GOVAUDIT_LINK_CHECK_EXTERNAL = True
GOVAUDIT_EXTERNAL_LINK_CAP = 300     # external targets checked per scan
GOVAUDIT_SPIDER_VIEW_SAMPLE = 6      # pages (the homepage first) fetched again as Baiduspider; 0: none
GOVAUDIT_LINK_TIMEOUT = 15
GOVAUDIT_LINK_BATCH = 200            # link targets scheduled per idle round
GOVAUDIT_SOFT404_PROBE = True
GOVAUDIT_JS_SHELL_MAX_BYTES = 2048   # a 200 page this small that only runs a script = WAF challenge
GOVAUDIT_CONDITIONAL_REQUESTS = True
# Backing off and noticing a block (crawler/blocking.py; profile politeness keys in brackets).
GOVAUDIT_RETRY_AFTER_MAX = 600       # Retry-After honoured up to this many seconds
GOVAUDIT_BACKOFF_FACTOR = 2.0        # delay x this on each 429/503/timeout in a row
GOVAUDIT_BACKOFF_MAX_DELAY = 60      # ... up to this many seconds
GOVAUDIT_BACKOFF_MIN_DELAY = 0.5     # ... and at least this many (a server with no delay set gets one)
GOVAUDIT_BACKOFF_RECOVER_AFTER = 5   # ... and divided by it again after this many good answers in a row
GOVAUDIT_BLOCK_STATUSES = [403, 412, 418, 429]   # refusals (and WAF challenge pages, cookie loops)
GOVAUDIT_REFUSAL_RETRIES = 2         # a refused page is asked again this many times, slowly
GOVAUDIT_BLOCK_AFTER = 5             # [block_after] refusals of different URLs in a row = a block
GOVAUDIT_BLOCK_PAUSE = 60            # [block_pause] seconds between requests once blocked
GOVAUDIT_BLOCK_RETRIES = 3           # [block_retries] slow retries still refused: give the host up
# Re-scans (crawler/revisit.py): a document on an unchanged list page, verified with the server
# less than this many days ago and named by no finding of the (audited) previous scan, is copied
# without a request.  0: ask for every document on every scan.
GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS = 7
# ... or trust such documents whatever their age (findings still exclude them).
GOVAUDIT_TRUST_UNCHANGED_LISTS = False
GOVAUDIT_REDIS_URL = None            # campaign workers: per-server limit shared through Redis (sharedlimit.py)
GOVAUDIT_SHARED_HOST_LIMIT = None    # ... requests in flight per server (default CONCURRENT_REQUESTS_PER_DOMAIN)
GOVAUDIT_SHARED_BEAT_TTL = 10        # ... seconds after a killed crawl's last beat its slots come free
# Attachments (crawler/attachments.py): files of documents fetched and read, within these limits.
GOVAUDIT_ATTACHMENTS = True
GOVAUDIT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024        # per file (Content-Length and streamed size)
GOVAUDIT_ATTACHMENT_TOTAL_BYTES = 2 * 1024 ** 3          # per scan
GOVAUDIT_READER_PROCESSES = 1        # reader child processes, reused (start-up ~1 s)
GOVAUDIT_READER_MEMORY_MB = 512      # address space of a reader (RLIMIT_AS)
GOVAUDIT_READER_RECYCLE_MB = 100     # a reader left larger than this by a file is replaced
GOVAUDIT_READER_CPU_SECONDS = 30     # CPU per file (RLIMIT_CPU)
GOVAUDIT_READER_TIMEOUT = 60         # wall clock per file; the reader is killed after it
GOVAUDIT_PROGRESS_FD = None          # file descriptor the progress/error events are written to


_POLITENESS = {
    "concurrency_per_host": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "concurrency": "CONCURRENT_REQUESTS",
    "delay": "DOWNLOAD_DELAY",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "autothrottle_target_concurrency": "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "timeout": "DOWNLOAD_TIMEOUT",
    "retries": "RETRY_TIMES",
    "obey_robots": "ROBOTSTXT_OBEY",
    "block_after": "GOVAUDIT_BLOCK_AFTER",
    "block_pause": "GOVAUDIT_BLOCK_PAUSE",
    "block_retries": "GOVAUDIT_BLOCK_RETRIES",
}
_CRAWL = {
    "ignore_params": "GOVAUDIT_IGNORE_PARAMS",
    "max_depth": "GOVAUDIT_MAX_DEPTH",
    "max_list_pages": "GOVAUDIT_MAX_LIST_PAGES",
    "max_pages": "GOVAUDIT_MAX_PAGES",
    "exclude_patterns": "GOVAUDIT_EXCLUDE_PATTERNS",
    "trust_unchanged_lists": "GOVAUDIT_TRUST_UNCHANGED_LISTS",
    "recheck_documents_after_days": "GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS",
    "disk_queue": "GOVAUDIT_DISK_QUEUE",
}
_ATTACHMENTS = {
    "enabled": "GOVAUDIT_ATTACHMENTS",
    "reader_processes": "GOVAUDIT_READER_PROCESSES",
    "reader_memory_mb": "GOVAUDIT_READER_MEMORY_MB",
    "reader_recycle_mb": "GOVAUDIT_READER_RECYCLE_MB",
    "reader_cpu_seconds": "GOVAUDIT_READER_CPU_SECONDS",
    "reader_timeout": "GOVAUDIT_READER_TIMEOUT",
}
_LINK_CHECK = {
    "enabled": "GOVAUDIT_LINK_CHECK",
    "external": "GOVAUDIT_LINK_CHECK_EXTERNAL",
    "external_cap": "GOVAUDIT_EXTERNAL_LINK_CAP",
    "timeout": "GOVAUDIT_LINK_TIMEOUT",
    "soft404_probe": "GOVAUDIT_SOFT404_PROBE",
}


def loopback_overrides(concurrency: int = 16) -> dict:
    """Settings for crawling our own simulated site on loopback (the demo, the benchmark, the
    tests): no politeness delays, high concurrency.  Always chosen by the caller that started the
    simulator, never by recognising an address."""
    return {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def settings_from_profile(profile: dict | None) -> dict:
    """Scrapy setting overrides from a validated profile (only what it states)."""
    profile = profile or {}
    out: dict = {}
    for section, mapping in (("politeness", _POLITENESS), ("crawl", _CRAWL), ("link_check", _LINK_CHECK),
                             ("attachments", _ATTACHMENTS)):
        values = profile.get(section) or {}
        for key, setting in mapping.items():
            if key in values:
                out[setting] = values[key]
    politeness = profile.get("politeness") or {}
    if "concurrency_per_host" in politeness and "concurrency" not in politeness:
        out["CONCURRENT_REQUESTS"] = max(8, 4 * politeness["concurrency_per_host"])
    if "max_size_mb" in politeness:
        out["DOWNLOAD_MAXSIZE"] = int(politeness["max_size_mb"] * 1024 * 1024)
    if "warn_size_mb" in politeness:
        out["DOWNLOAD_WARNSIZE"] = int(politeness["warn_size_mb"] * 1024 * 1024)
    if "user_agent_contact" in politeness:
        out["USER_AGENT"] = f"govaudit/{__version__} (+{politeness['user_agent_contact']}; 政务公开检查)"
    files = profile.get("attachments") or {}
    if "max_file_mb" in files:
        out["GOVAUDIT_ATTACHMENT_MAX_BYTES"] = int(files["max_file_mb"] * 1024 * 1024)
    if "max_total_mb" in files:
        out["GOVAUDIT_ATTACHMENT_TOTAL_BYTES"] = int(files["max_total_mb"] * 1024 * 1024)
    if profile.get("allowed_hosts"):
        out["GOVAUDIT_ALLOWED_HOSTS"] = list(profile["allowed_hosts"])
    return out
