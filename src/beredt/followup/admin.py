"""Admin: routing rules (ordered, editable by an administrator), follow-up units and
message templates. Personal data (handovers, tasks, messages) is not in the admin."""

from django.contrib import admin

from .models import FollowupUnit, IncidentFollowup, MessageTemplate, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "action", "role", "residence", "only_if_regional_team",
                    "only_if_unrouted", "needs_manual_decision", "stop", "is_active"]
    list_editable = ["position", "is_active"]
    list_display_links = ["name"]
    ordering = ["position", "id"]


@admin.register(FollowupUnit)
class FollowupUnitAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "municipality", "region", "receipt_hours",
                    "is_active"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = []
    raw_id_fields = ["backup_contact"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "subject"]
    list_filter = ["key", "language"]


@admin.register(IncidentFollowup)
class IncidentFollowupAdmin(admin.ModelAdmin):
    list_display = ["incident", "first_contact_days", "check_weeks", "regional_team_took_part"]
