"""Attachment files: their text read in a bounded child process (``pool`` in the crawl,
``worker`` in the child, ``readers`` the format readers the child runs)."""
