"""Jinja templates of the report (package so that they install with govaudit)."""
