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
all. Primary keys that the database assigns are not returned.

What it cannot do it refuses with :class:`Unsupported` (a programming error, raised before
anything is sent), instead of writing rows the ORM would have written differently: models
that override ``save()`` or have ``pre_save``/``post_save`` receivers, generated fields,
fields with a ``db_default``, expressions as values (``F()``, ``Now()``, an unset
``db_default``), instances of different models or with and without a primary key in one
INSERT, and statements for different databases in one :func:`write`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, models, router
from django.db.models import signals


class Unsupported(TypeError):
    """:func:`insert` or :func:`write` was asked for something only the ORM does right."""


def plain_on_create(save):
    """Mark a model's ``save()`` override as doing nothing on create that :func:`insert`
    would skip (e.g. a guard against updates), so that :func:`insert` accepts the model."""
    save.plain_on_create = True
    return save


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


@lru_cache(maxsize=256)
def _refusal(model: type[models.Model]) -> str:
    """Why ``model`` cannot be written by :func:`insert` ("" when it can), receivers aside."""
    for klass in model.__mro__:
        if klass is models.Model:
            break
        save = vars(klass).get("save")
        if save is not None and not getattr(save, "plain_on_create", False):
            return f"{klass.__name__} overrides save()"
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            return f"{model.__name__}.{field.name} is a generated field"
        if field.db_default is not models.NOT_PROVIDED:
            return f"{model.__name__}.{field.name} has a db_default"
    return ""


def _check_model(model: type[models.Model]) -> None:
    reason = _refusal(model)
    if not reason:
        # Receivers can be connected at any time; Django caches the look-up per sender.
        for signal, name in ((signals.pre_save, "pre_save"), (signals.post_save, "post_save")):
            if signal.has_listeners(model):
                reason = f"{model.__name__} has {name} receivers"
                break
    if reason:
        raise Unsupported(f"core.rows.insert cannot write {model.__name__}: {reason}; "
                          "save it through the ORM.")


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
    _check_model(model)
    connection = connections[using or router.db_for_write(model)]
    with_pk = objs[0].pk is not None
    fields = _columns(model, with_pk)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = []
    for obj in objs:
        if type(obj) is not model or (obj.pk is not None) is not with_pk:
            raise Unsupported(f"core.rows.insert writes instances of one model, all with or all "
                              f"without a primary key: {obj!r} differs from {objs[0]!r}.")
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise Unsupported(f"core.rows.insert cannot write {model.__name__}."
                                  f"{field.name}: its value is an expression ({value!r}).")
            params.append(field.get_db_prep_save(value, connection))
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return Statement(_quoted(connection, model, fields) + ", ".join([row] * len(objs)),
                     tuple(params), connection.alias)


def write(statements: Sequence[Statement], *, then: Statement | None = None) -> list[tuple]:
    """Run ``statements`` (from :func:`insert`, all for one database), then the read
    ``then``; returns its rows."""
    if not statements:
        raise ValueError("nothing to write")
    aliases = {s.using for s in (*statements, *([then] if then else []))}
    if len(aliases) > 1:
        raise Unsupported(f"core.rows.write sends statements to one database, not to "
                          f"{', '.join(sorted(aliases))}.")
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
