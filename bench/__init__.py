"""`make bench`: how fast Byline does what its users wait for, measured against the production
server (`byline serve`, granian) on a fresh SQLite database seeded with the demo.

`bench/run.py` is the runner; each measurement is one module here exposing ``KEY``, ``TITLE``
and ``measure(n=...) -> Section``. Results go to bench/results.md, one section per measurement,
each with the machine it ran on.
"""
