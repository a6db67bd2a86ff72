"""Settings of the test suite (``DJANGO_SETTINGS_MODULE`` in pyproject.toml): the product's
settings in their test mode, plus the models that exist only in the test database."""

import os

# Test mode (see TESTING in beredt/settings.py); processes the tests start inherit it.
os.environ.setdefault("BEREDT_TESTING", "1")

from beredt.settings import *  # noqa: F403
from beredt.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp.apps.TestAppConfig"]
