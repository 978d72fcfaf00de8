"""Signals of the govaudit crawler (Scrapy-style sentinels)."""

# Sent by the spider before it reads back what it stored (link checks at idle time):
# the snapshot pipeline writes out its buffer.
flush_requested = object()

# Sent by the spider with ``item=`` for facts found outside a callback (link checks decided
# at idle time, start-up bookkeeping): the snapshot pipeline buffers it like any item.
record_item = object()
