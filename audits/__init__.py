"""Audit rules over a stored snapshot (pure: snapshot + as-of date -> findings)."""
