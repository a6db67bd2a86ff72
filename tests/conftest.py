"""Shared fixtures. Tests run on SQLite, and on PostgreSQL when DATABASE_URL is set (make test
runs both when BEREDT_TEST_DATABASE_URL is given)."""

from __future__ import annotations

import pytest
from django.test import Client

from beredt.accounts.models import User
from beredt.accounts.tokens import create_token
from beredt.core import dbguard
from beredt.organisations.models import Membership, Organisation, OrganisationKind, Role

pytest_plugins = ["tests.fixtures"]  # make_incident, incident


def pytest_configure(config):
    # Let the test database flush empty the audit table on SQLite (core migration 0002);
    # tests of the guard switch it back on.
    dbguard.AUDIT_DELETE_ALLOWED = True


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


REFERENCE_DATA_MIGRATIONS = [
    "beredt.geo.migrations.0002_load_reference_data",
    "beredt.followup.migrations.0002_default_rules_and_templates",
]


def load_reference_data() -> None:
    """Load the rows that data migrations put in every database (regions, municipalities,
    postcodes, default follow-up routing rules and templates). Idempotent."""
    import importlib

    from django.apps import apps

    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table (the flush runs while its
    fixtures are torn down, inside this hook), which also removes the reference data that
    migrations load. Put it back, so that every later test finds the database as migrated."""
    yield
    # After the last test the test database is already gone (nextitem is None).
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()


@pytest.fixture(autouse=True)
def _danish_by_default(settings):
    settings.LANGUAGE_CODE = "da"


@pytest.fixture(autouse=True)
def _fresh_token_memory():
    """No test sees a token another test's (rolled-back) user resolved."""
    from beredt.accounts.tokens import forget_resolved_tokens

    forget_resolved_tokens()


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(username: str | None = None, *, roles=(), superuser: bool = False, **fields) -> User:
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        user = User.objects.create_user(
            username=username,
            password="test-password-123",
            is_superuser=superuser,
            is_staff=superuser,
            email=f"{username}@example.org",
            **fields,
        )
        for org, role in roles:
            Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def orgs(db):
    """A small tree: region psychiatry → two departments; a municipality → a centre."""
    psych = Organisation.objects.create(
        name="Psykiatrien RM", kind=OrganisationKind.REGION_PSYCHIATRY, region_id=1082
    )
    dept_a = Organisation.objects.create(
        name="Afd. A", parent=psych, region_id=1082, kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT
    )
    dept_b = Organisation.objects.create(
        name="Afd. B", parent=psych, region_id=1082, kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT
    )
    kommune = Organisation.objects.create(
        name="Randers Kommune",
        kind=OrganisationKind.MUNICIPALITY,
        municipality_id=730,
        region_id=1082,
    )
    centre = Organisation.objects.create(
        name="Psykiatri og Handicap",
        parent=kommune,
        kind=OrganisationKind.MUNICIPALITY_CENTRE,
        municipality_id=730,
        region_id=1082,
    )
    return type(
        "Orgs",
        (),
        {"psych": psych, "dept_a": dept_a, "dept_b": dept_b, "kommune": kommune, "centre": centre},
    )


@pytest.fixture
def api_client():
    """``api_client(user)`` → a test client that sends the user's Bearer token."""

    def make(user: User | None = None, **headers) -> Client:
        if user is None:
            return Client(**headers)
        _row, token = create_token(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **headers)

    return make


@pytest.fixture
def kop(make_user, orgs):
    return make_user("kop", roles=[(orgs.dept_a, Role.KOP)], first_name="Karen", last_name="Olsen")


# --- Browser tests ----------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (``make chromium`` installs it)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """``login(page, username, password)`` logs a user in through the real login form."""

    def do(page, username: str, password: str = "test-password-123") -> None:  # noqa: S107
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")

    return do
