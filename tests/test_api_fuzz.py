"""Property-based API fuzzing (schemathesis): whatever a client sends, no endpoint answers
with a 5xx, and every status it answers is documented in the OpenAPI (the error answers
are added to every operation by core.api.BeredtAPI). Generated from the live OpenAPI
schema, so every new endpoint is covered."""

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, status_code_conformance

from beredt.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the real WSGI handler, whose request signals close "old" database
    connections; inside the test's transaction that would close the connection under it (on
    PostgreSQL). Switch that off, as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def superuser_token(db, make_user, orgs):
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
    # Each request in a savepoint that is rolled back: a database error an endpoint answers
    # with a 4xx (a number out of range → 422) must not poison the requests after it, as it
    # would inside the test's one transaction on PostgreSQL. In production each request
    # runs on its own (autocommit).
    with transaction.atomic():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {superuser_token}"},
            checks=[not_a_server_error, status_code_conformance],
        )
        transaction.set_rollback(True)
