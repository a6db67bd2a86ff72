"""`beredt check --deploy` passes with the documented production settings (docs/operations.md)."""

import os
import subprocess
import sys

import pytest

from beredt.core.crypto import generate_key

PRODUCTION_ENV = {
    "BEREDT_DEBUG": "0",
    "BEREDT_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0987654321",
    "BEREDT_FIELD_KEY": generate_key("prod1"),
    "BEREDT_HASH_KEY": "a-long-random-production-hash-key",
    "BEREDT_ALLOWED_HOSTS": "beredt.example.dk",
    "BEREDT_CACHE_URL": "redis://127.0.0.1:6379/0",
}


def run_check(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BEREDT_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run
    clean["BEREDT_TESTING"] = "0"
    clean["DJANGO_SETTINGS_MODULE"] = "beredt.settings"
    clean["BEREDT_SQLITE_PATH"] = ":memory:"
    return subprocess.run(
        [sys.executable, "-m", "beredt.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = run_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", ["BEREDT_SECRET_KEY", "BEREDT_FIELD_KEY", "BEREDT_HASH_KEY"])
def test_check_deploy_refuses_development_secrets(variable):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = run_check(env)
    assert result.returncode != 0
    assert variable in result.stderr + result.stdout


def test_check_deploy_warns_about_a_per_process_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "BEREDT_CACHE_URL"}
    result = run_check(env)
    assert result.returncode != 0
    assert "beredt.W001" in result.stderr + result.stdout


def test_unknown_cache_url_is_refused_at_start():
    result = run_check({**PRODUCTION_ENV, "BEREDT_CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode != 0
    assert "BEREDT_CACHE_URL must be" in result.stderr
