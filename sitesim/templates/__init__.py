"""Jinja templates of the simulated site (a package so wheels carry them)."""
