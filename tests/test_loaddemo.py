import io

import pytest
from django.apps import apps
from django.core.management import call_command

from beredt.accounts.models import User
from beredt.followup import selectors as followup_selectors
from beredt.organisations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"core", "sessions", "admin", "axes", "django_tasks_db"}
        and ".Historical" not in m._meta.label  # history rows record each save
    }


def test_loaddemo_prints_logins_and_is_idempotent(client):
    out = io.StringIO()
    call_command("loaddemo", force=True, stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in ["kop", "registrator", "opfolgning", "dpo", "admin"]:
        assert f"  {username} " in text
    # Every app found what it builds on (the demo exercise, its people).
    assert "skipped" not in text
    first = row_counts()
    assert first["registry.Registration"] > 0
    assert first["followup.Handover"] > 0
    # The demo follow-up coordinator receives the demo handover.
    coordinator = User.objects.get(username="opfolgning")
    assert followup_selectors.handovers_received_by(coordinator).exists()
    call_command("loaddemo", force=True, stdout=io.StringIO())
    assert row_counts() == first
    response = client.post("/accounts/login/", {"username": "kop", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_loaddemo_refuses_when_debug_is_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("loaddemo", stdout=io.StringIO())
    assert not User.objects.filter(username="kop").exists()


def test_loaddemo_runs_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("loaddemo", stdout=io.StringIO())
    assert User.objects.filter(username="kop").exists()
