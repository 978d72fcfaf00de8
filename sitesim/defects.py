"""Planted defects and traps (filled in below)."""


def plant_dates(builder):
    pass


def plant_fields(builder):
    pass
