"""CSS and JS of the simulated site (a package so wheels carry them)."""
