from django.contrib import admin

from .models import ProgrammeMembership


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    """Who takes part in the programme (cases themselves are worked on in the app, audited)."""

    list_display = ("user", "role", "organisation")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user",)
    raw_id_fields = ("organisation",)
