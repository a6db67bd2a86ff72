"""Property-based API fuzzing (schemathesis): whatever a client sends, no endpoint answers
with a 5xx. Generated from the live OpenAPI schema, so every new endpoint is covered."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from beredt.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _autocommit_like_production(transactional_db):
    """Each request runs in autocommit, as in production: a database error that an endpoint
    answers with a 4xx (a number out of range → 422) must not poison the requests after it,
    as it would inside one test transaction on PostgreSQL.

    Schemathesis calls the real WSGI handler, whose request signals close "old" connections;
    switch that off for the test's connection, as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def superuser_token(transactional_db, make_user, orgs):
    from beredt.accounts.tokens import create_token

    _row, token = create_token(user=make_user("fuzz-root", superuser=True))
    return token


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)
def test_no_server_errors(case, superuser_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {superuser_token}"},
        checks=[not_a_server_error],
    )
