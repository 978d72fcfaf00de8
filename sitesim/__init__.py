"""The simulated 章丘区 government website (test bed and demo target)."""
