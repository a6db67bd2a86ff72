"""Extension points for apps that act on a message's outcome (e.g. the alarm escalation).

``OUTCOME_HOOKS`` — called as ``hook(messages)`` with the messages that have just reached
an outcome (``failed`` after the last attempt, or ``delivered``/``failed`` by a gateway
receipt), inside the transaction that records it. A hook must not send anything itself;
it enqueues tasks, e.g.::

    # in activation/apps.py ready():
    from beredt.notify.hooks import register_outcome_hook
    register_outcome_hook(on_delivery_outcome)
"""

from __future__ import annotations

from collections.abc import Callable

OUTCOME_HOOKS: list[Callable[[list], None]] = []


def register_outcome_hook(fn: Callable[[list], None]) -> Callable[[list], None]:
    if fn not in OUTCOME_HOOKS:
        OUTCOME_HOOKS.append(fn)
    return fn


def outcome(messages: list) -> None:
    """Tell every hook about messages that reached an outcome."""
    if messages:
        for hook in OUTCOME_HOOKS:
            hook(messages)
