"""`check --deploy` fails while any account has the published demo password."""

import pytest
from django.core import checks

from beredt.organisations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def deploy_errors() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True)
            if m.level >= checks.ERROR]


def test_a_user_with_the_demo_password_fails_the_deploy_check(make_user):
    make_user("karen")
    assert "beredt.E010" not in deploy_errors()
    user = make_user("demoadmin")
    user.set_password(DEMO_PASSWORD)
    user.save()
    messages = [m for m in checks.run_checks(include_deployment_checks=True)
                if m.id == "beredt.E010"]
    assert len(messages) == 1 and "demoadmin" in messages[0].msg
    assert "karen" not in messages[0].msg


def test_inactive_or_passwordless_demo_users_do_not_count(make_user):
    user = make_user("former")
    user.set_password(DEMO_PASSWORD)
    user.is_active = False
    user.save()
    sso = make_user("sso")
    sso.set_unusable_password()
    sso.save()
    assert "beredt.E010" not in deploy_errors()
