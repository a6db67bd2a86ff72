"""Geo: Danish reference geography — the 5 regions, the 98 municipalities and postcodes.

Shipped as data files in ``geo/data`` (sources and dates in docs/data-sources.md) and loaded
by a migration; ``beredt loadgeo`` reloads them idempotently. A postcode may span several
municipalities: it gives candidates (primary first), never a decision on its own.

May import: core.
"""
