"""Beredt: psychosocial preparedness and cross-sector crisis support.

The package is a Django project; ``beredt`` on the command line is its manage.py.
See docs/architecture.md for the apps and the direction of their imports.
"""
