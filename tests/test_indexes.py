"""The hot tables carry no redundant indexes (each costs every registration an index entry),
and dropping them left the audit log's append-only triggers in place (test_audit)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _single_column_indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found: dict[str, list[str]] = {}
    for name, info in constraints.items():
        if info["index"] and not info["unique"] and not info["primary_key"] \
                and len(info["columns"]) == 1:
            found.setdefault(info["columns"][0], []).append(name)
    return found


@pytest.mark.parametrize(("table", "covered", "one_each"), [
    ("registry_registration", ["incident_id"], ["cpr_hash", "paper_form_number"]),
    ("registry_matchkey", ["registration_id"], ["key"]),
    ("core_auditevent", ["object_type"], ["object_id"]),
])
def test_no_redundant_indexes(table, covered, one_each):
    indexes = _single_column_indexes(table)
    for column in covered:  # served by a composite or unique index
        assert column not in indexes, indexes
    for column in one_each:  # exact look-ups: one plain index, no LIKE twin
        assert len(indexes.get(column, [])) == 1, indexes


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses an open transaction
def test_drop_column_indexes_drops_only_that_column():
    from beredt.core.migration_ops import drop_column_indexes

    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE beredt_idx_probe (a integer, b integer)")
        editor.execute("CREATE INDEX beredt_idx_probe_a ON beredt_idx_probe (a)")
        editor.execute("CREATE INDEX beredt_idx_probe_ab ON beredt_idx_probe (a, b)")
        editor.execute("CREATE INDEX beredt_idx_probe_b ON beredt_idx_probe (b)")
        assert drop_column_indexes(editor, "beredt_idx_probe", "a") == ["beredt_idx_probe_a"]
    left = _single_column_indexes("beredt_idx_probe")
    assert left == {"b": ["beredt_idx_probe_b"]}
    with connection.cursor() as cursor:
        names = {c for c in connection.introspection.get_constraints(cursor, "beredt_idx_probe")}
    assert "beredt_idx_probe_ab" in names
    with connection.schema_editor() as editor:
        editor.execute("DROP TABLE beredt_idx_probe")
