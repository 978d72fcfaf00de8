"""Later generations of the same site (month-over-month tests)."""


def mutate(builder, step):
    pass
