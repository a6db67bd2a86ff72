"""Accounts: users, personal API tokens, login/logout and the login audit trail.

Imports only :mod:`beredt.core`. Roles are not here: a user's roles are memberships of
organisations (:mod:`beredt.organisations`).
"""
