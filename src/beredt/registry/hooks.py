"""Extension points for apps that build on the registry (follow-up, outreach).

Nothing here fires by itself behind anyone's back: the registry calls these lists at two
well-defined moments, inside the same database transaction as the change.

``WITHDRAWAL_HOOKS`` — called when consent is withdrawn, as
``hook(registration=…, kinds={…}, channels={…}, by=user)``; ``registration`` is the
surviving registration of the person (after merges), ``kinds`` the consent kinds withdrawn
and ``channels`` the contact channels no longer allowed. An outreach app registers a hook
that cancels every pending message or call for that person, e.g.::

    # in followup/apps.py ready():
    from beredt.registry.hooks import register_withdrawal_hook
    register_withdrawal_hook(cancel_pending_outreach)

Independently of the hook, every sender must call
:func:`beredt.registry.selectors.may_contact` at send time.

``RETENTION_HOLDS`` — called by the retention purge as ``hold(registration_ids)`` and
returning the ids that must be kept (an active follow-up). A registration held by any hook is
not anonymised in this run.

``PURGE_HOOKS`` — other personal data kept per incident (self-registrations from the public
page) follows the same retention: ``beredt purgeregistrations`` and its task call each hook as
``hook(now=…, dry_run=…)``, which returns ``(what, count)``, e.g. ``("self-registrations", 3)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

WITHDRAWAL_HOOKS: list[Callable[..., None]] = []
RETENTION_HOLDS: list[Callable[[list], Iterable]] = []
PURGE_HOOKS: list[Callable[..., tuple[str, int]]] = []


def register_purge_hook(fn: Callable[..., tuple[str, int]]) -> Callable[..., tuple[str, int]]:
    if fn not in PURGE_HOOKS:
        PURGE_HOOKS.append(fn)
    return fn


def run_purge_hooks(*, now=None, dry_run: bool = False) -> list[tuple[str, int]]:
    return [hook(now=now, dry_run=dry_run) for hook in list(PURGE_HOOKS)]


def register_withdrawal_hook(fn: Callable[..., None]) -> Callable[..., None]:
    if fn not in WITHDRAWAL_HOOKS:
        WITHDRAWAL_HOOKS.append(fn)
    return fn


def unregister_withdrawal_hook(fn: Callable[..., None]) -> None:
    if fn in WITHDRAWAL_HOOKS:
        WITHDRAWAL_HOOKS.remove(fn)


def register_retention_hold(fn: Callable[[list], Iterable]) -> Callable[[list], Iterable]:
    if fn not in RETENTION_HOLDS:
        RETENTION_HOLDS.append(fn)
    return fn


def unregister_retention_hold(fn: Callable[[list], Iterable]) -> None:
    if fn in RETENTION_HOLDS:
        RETENTION_HOLDS.remove(fn)
