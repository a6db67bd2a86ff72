"""core.rows: what the hot-path INSERTs write, and what they refuse to write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save, pre_save

from beredt.core import rows
from beredt.core.models import AuditEvent
from beredt.registry.models import ConsentRecord, MatchKey, Registration
from tests.testapp.models import Counter, Person, SavesItself, WithDbDefault, WithGenerated

pytestmark = pytest.mark.django_db


def test_insert_writes_every_row_with_prepared_values():
    people = [Person(name="Anna", cpr="0101011234", cpr_hash="a"), Person(name="Bo", cpr_hash="b")]
    rows.write([rows.insert(people)])
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Anna", "Bo"]
    assert all(not p._state.adding for p in people)


@pytest.mark.parametrize("model", [Registration, ConsentRecord, MatchKey, AuditEvent])
def test_the_registration_hot_path_models_are_accepted(model):
    rows._check_model(model)  # raises when a change makes one of them unsafe to write


@pytest.mark.parametrize(("obj", "reason"), [
    (SavesItself(), "overrides save()"),
    (WithDbDefault(), "has a db_default"),
    (WithGenerated(n=2), "is a generated field"),
])
def test_models_the_orm_must_write_are_refused(obj, reason):
    with pytest.raises(rows.Unsupported, match=reason):
        rows.insert([obj])
    assert type(obj).objects.count() == 0


@pytest.mark.parametrize(("signal", "name"), [(pre_save, "pre_save"), (post_save, "post_save")])
def test_models_with_save_receivers_are_refused(signal, name):
    def receiver(**kwargs):
        pass

    signal.connect(receiver, sender=Counter)
    try:
        with pytest.raises(rows.Unsupported, match=f"has {name} receivers"):
            rows.insert([Counter()])
    finally:
        signal.disconnect(receiver, sender=Counter)
    rows.insert([Counter()])  # without the receiver it is fine again


def test_expression_values_are_refused():
    with pytest.raises(rows.Unsupported, match="expression"):
        rows.insert([Counter(n=1), Counter(n=F("n") + 1)])


def test_one_model_and_one_kind_of_key_per_insert():
    with pytest.raises(rows.Unsupported, match="one model"):
        rows.insert([Counter(), SavesItself()])
    with pytest.raises(rows.Unsupported, match="primary key"):
        rows.insert([Counter(pk=10), Counter()])


def test_write_refuses_statements_for_different_databases():
    first = rows.insert([Counter()])
    other = rows.Statement(first.sql, first.params, using="elsewhere")
    with pytest.raises(rows.Unsupported, match="one database"):
        rows.write([first, other])
    with pytest.raises(rows.Unsupported, match="one database"):
        rows.write([first], then=rows.Statement("SELECT 1", (), using="elsewhere"))
    assert Counter.objects.count() == 0


def test_the_statement_cache_limits_were_raised():
    psycopg_queries = pytest.importorskip("psycopg._queries")
    assert psycopg_queries.MAX_CACHED_STATEMENT_LENGTH >= 16_384
    assert psycopg_queries.MAX_CACHED_STATEMENT_PARAMS >= 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg is PostgreSQL's driver")
def test_a_long_insert_is_converted_once_and_then_taken_from_psycopg_cache():
    from psycopg import _queries

    def hits() -> int:
        return sum(f.cache_info().hits for f in (_queries._query2pg, _queries._query2pg_client))

    # 60 rows x 3 columns = 180 parameters: beyond psycopg's own limit of 50.
    statement = rows.insert([Counter(n=i) for i in range(60)])
    assert len(statement.params) > 50
    rows.write([statement])
    before = hits()
    rows.write([rows.insert([Counter(n=i) for i in range(60)])])
    assert hits() > before
    assert Counter.objects.count() == 120
