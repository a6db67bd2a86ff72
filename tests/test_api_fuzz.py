"""Property-based API fuzzing (schemathesis): whatever a client sends, no endpoint answers
with a 5xx. Generated from the live OpenAPI schema, so every new endpoint is covered."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from beredt.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def superuser_token(db, make_user, orgs):
    from beredt.accounts.tokens import create_token

    _row, token = create_token(user=make_user("fuzz-root", superuser=True))
    return token


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)
def test_no_server_errors(case, superuser_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {superuser_token}"},
        checks=[not_a_server_error],
    )
