"""Site profiles shipped with govaudit (YAML)."""
