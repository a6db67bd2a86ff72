"""Web: the staff UI shell — layout, dashboard, the audit log page and ``beredt loaddemo``.

The top of the import graph: none may import it.

May import: everything.
"""
