from django.contrib import admin

from .models import (
    ActionCard,
    Alarm,
    Callout,
    Plan,
    PlanRole,
    PlanRoleHolder,
    Shift,
    TrainingRecord,
)


class PlanRoleInline(admin.TabularInline):
    model = PlanRole
    extra = 0
    exclude = ["client_id"]


@admin.register(PlanRoleHolder)
class PlanRoleHolderAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "assigned_at"]
    search_fields = ["role__title", "role__plan__title", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = ["assigned_by", "assigned_at"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "ack_timeout_seconds"]
    search_fields = ["title", "organisation__name"]
    filter_horizontal = ["activating_organisations"]
    exclude = ["client_id"]
    inlines = [PlanRoleInline]


@admin.register(ActionCard)
class ActionCardAdmin(admin.ModelAdmin):
    """A saved version is never edited: a change is published as a new version from the
    card's page (*Beredskab* → plan → card → *Rediger*), so ticks of past incidents keep
    pointing at the text that was used."""

    list_display = ["code", "version", "title", "duty_role", "organisation", "is_current"]
    list_filter = ["is_current", "duty_role"]
    search_fields = ["code", "title"]
    exclude = ["client_id"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ActionCard._meta.fields] if obj is not None else ["created_by"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["user", "duty_role", "organisation", "starts_at", "ends_at"]
    list_filter = ["duty_role"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["user"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "completed_on", "expires_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["user"]


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    list_display = ["incident", "organisation", "status", "step", "raised_at", "acknowledged_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Alarm._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Callout)
class CalloutAdmin(admin.ModelAdmin):
    list_display = ["incident", "user", "duty_role", "status", "alerted_at"]
    list_filter = ["status", "duty_role"]
    readonly_fields = [f.name for f in Callout._meta.fields]

    def has_add_permission(self, request):
        return False
