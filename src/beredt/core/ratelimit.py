"""Fixed-window rate limits that hold on every Django cache backend.

``cache.incr`` is a read and a write on the database cache (Django's ``BaseCache.incr``),
so parallel requests lose counts and a cap never triggers. Here each admitted request
claims its own slot key with ``cache.add`` — an atomic insert-if-absent on every backend
(a primary-key insert on the database cache, ``SET NX`` on Redis, a lock in local
memory). At most ``count`` slots exist per window, so at most ``count`` requests pass,
however many arrive at once. A hint key remembers the highest slot taken, so a request
tries one or two slots, not all of them; once the window is full a refusal costs one
``get``.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(key: str, *, count: int, seconds: int) -> bool:
    """Count one attempt under ``key``; False when ``count`` attempts already passed in
    the current window of ``seconds``."""
    window = f"rl:{key}:{int(time.time() // seconds)}"
    start = cache.get(window) or 0
    for slot in range(start + 1, count + 1):
        if cache.add(f"{window}:{slot}", 1, timeout=seconds):
            cache.set(window, slot, timeout=seconds)
            return True
    cache.set(window, count, timeout=seconds)
    return False


def used(key: str, *, seconds: int) -> int:
    """About how many attempts passed under ``key`` in the current window (the hint)."""
    return cache.get(f"rl:{key}:{int(time.time() // seconds)}") or 0
