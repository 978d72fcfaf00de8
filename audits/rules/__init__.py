"""One module per audit rule; each registers itself with ``@audits.registry.rule``."""
