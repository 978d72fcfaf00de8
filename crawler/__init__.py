"""The crawler: a Scrapy project that records facts into the snapshot DB."""
