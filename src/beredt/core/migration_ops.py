"""Migration helpers that change indexes without rebuilding tables.

On SQLite, Django's ``AlterField`` rebuilds the whole table for a changed ``db_index``, and
a rebuilt table loses its triggers (the audit log's append-only guard, the directory's
version stamps). :func:`drop_column_indexes` drops the plain indexes of one column by the
names the database reports, on PostgreSQL and SQLite alike; pair it with a state-only
``AlterField`` (``SeparateDatabaseAndState``).
"""

from __future__ import annotations

from django.db import migrations


def drop_column_indexes(schema_editor, table: str, column: str) -> list[str]:
    """Drop every non-unique index on exactly ``column`` of ``table``; returns their names."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    names = sorted(
        name for name, info in constraints.items()
        if info.get("index") and not info.get("unique") and not info.get("primary_key")
        and info.get("columns") == [column]
    )
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    return names


def drop_indexes_of(*table_columns: tuple[str, str]) -> migrations.RunPython:
    """A RunPython that drops the single-column indexes of each (table, column). Reversing it
    creates one plain index per column again."""

    def forward(apps, schema_editor):
        for table, column in table_columns:
            drop_column_indexes(schema_editor, table, column)

    def backward(apps, schema_editor):
        quote = schema_editor.connection.ops.quote_name
        for table, column in table_columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{column}_idx')}"
                f" ON {quote(table)} ({quote(column)})"
            )

    return migrations.RunPython(forward, backward)
