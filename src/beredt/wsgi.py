"""WSGI entry point (gunicorn beredt.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredt.settings")
application = get_wsgi_application()
