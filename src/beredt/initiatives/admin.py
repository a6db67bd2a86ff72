"""Admin: committees and who holds which initiative role (the rest is edited on the pages,
where the rules are checked)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Committee, InitiativeAccess


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]


@admin.register(InitiativeAccess)
class InitiativeAccessAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation", "committee"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__last_name"]
