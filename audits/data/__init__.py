"""Data files of the audits (the 要点 task table); a package so wheels carry them."""
