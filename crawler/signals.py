"""Signals of the govaudit crawler (Scrapy-style sentinels)."""

# Sent by the spider before it reads back what it stored (link checks at idle time):
# the snapshot pipeline writes out its buffer.
flush_requested = object()
