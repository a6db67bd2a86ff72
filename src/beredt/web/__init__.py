"""Web: the staff UI shell — layout, dashboard, the audit log page and ``beredt loaddemo``.

The top of the import graph: it may import every other app, none may import it.
"""
