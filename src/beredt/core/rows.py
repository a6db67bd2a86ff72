"""Hand-written INSERTs for hot paths, built from the models so they cannot drift from them.

``QuerySet.bulk_create`` and ``Model.save`` are general: they batch, return keys, run
signals and (on PostgreSQL) send arrays through ``UNNEST``. A hot path that writes a few
known rows needs none of that. :func:`insert` builds one multi-row ``INSERT … VALUES`` from
unsaved model instances, with every value prepared by its own field (encryption, JSON,
UUIDs and ``auto_now_add`` work as usual); :func:`write` sends several such statements:

* on PostgreSQL as **one statement** — each INSERT becomes a data-modifying ``WITH``
  member, which PostgreSQL runs exactly once and to completion — optionally followed by a
  read whose rows are returned (the read sees the database as it was before the INSERTs);
* on SQLite one after the other, then the read.

Either way they run in the caller's transaction, so all rows are saved together or not at
all. Only for models without save() logic or signals that matter on create; primary keys
that the database assigns are not returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, models, router


def cache_long_statements() -> None:
    """Let psycopg remember the conversion of longer statements.

    psycopg (client-side binding, Django's default) turns each query's ``%s`` placeholders
    into its wire form by scanning the text, and remembers the result only for queries of
    at most 4,096 characters and 50 parameters. The statements :func:`write` builds for a
    registration have about 110 parameters, so without this every registration paid for
    the scan (about a tenth of the request's CPU time). The limits are module constants
    read at each call; the remembered conversions stay bounded by psycopg's LRU cache."""
    try:
        from psycopg import _queries
    except ImportError:  # SQLite-only installation
        return
    for name, value in (("MAX_CACHED_STATEMENT_LENGTH", 16_384),
                        ("MAX_CACHED_STATEMENT_PARAMS", 400)):
        if isinstance(getattr(_queries, name, None), int):  # absent in another version: skip
            setattr(_queries, name, max(getattr(_queries, name), value))


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    using: str = "default"  # the database alias it is meant for


@lru_cache(maxsize=256)
def _columns(model: type[models.Model], with_pk: bool) -> tuple[models.Field, ...]:
    return tuple(
        f for f in model._meta.concrete_fields
        if with_pk or not (f.primary_key and isinstance(f, models.AutoField))
    )


def _quoted(connection, model: type[models.Model], fields) -> str:
    # Only quoted model identifiers are formatted in; every value is a parameter.
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(f.column) for f in fields)}) VALUES ")


def insert(objs: Sequence[models.Model], *, using: str | None = None) -> Statement:
    """One INSERT of ``objs`` (instances of one model, not yet saved)."""
    if not objs:
        raise ValueError("nothing to insert")
    model = type(objs[0])
    connection = connections[using or router.db_for_write(model)]
    fields = _columns(model, objs[0].pk is not None)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = []
    for obj in objs:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        obj._state.adding, obj._state.db = False, connection.alias
    return Statement(_quoted(connection, model, fields) + ", ".join([row] * len(objs)),
                     tuple(params), connection.alias)


def write(statements: Sequence[Statement], *, then: Statement | None = None) -> list[tuple]:
    """Run ``statements`` (from :func:`insert`, all for one database), then the read
    ``then``; returns its rows."""
    connection = connections[statements[0].using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            members = ", ".join(f"w{i} AS ({s.sql})" for i, s in enumerate(statements))
            tail = then or Statement("SELECT 1", ())
            cursor.execute(f"WITH {members} {tail.sql}",
                           [p for s in (*statements, tail) for p in s.params])
            return cursor.fetchall() if then else []
        for s in statements:
            cursor.execute(s.sql, s.params)
        if then is None:
            return []
        cursor.execute(then.sql, then.params)
        return cursor.fetchall()
