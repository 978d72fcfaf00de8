"""Shared fixtures.  Package-specific fixtures live in tests/<package>/conftest.py."""
