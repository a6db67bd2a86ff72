"""Accounts: users, personal API tokens, login/logout and the login audit trail.

May import: core. Roles are not here: a user's roles are memberships of
organisations (:mod:`beredt.organisations`).
"""
