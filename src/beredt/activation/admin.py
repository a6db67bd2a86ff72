from django.contrib import admin

from .models import ActionCard, Alarm, Callout, Plan, PlanRole, Shift, TrainingRecord


class PlanRoleInline(admin.TabularInline):
    model = PlanRole
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "ack_timeout_seconds"]
    search_fields = ["title", "organisation__name"]
    filter_horizontal = ["activating_organisations"]
    inlines = [PlanRoleInline]


@admin.register(ActionCard)
class ActionCardAdmin(admin.ModelAdmin):
    """A changed card is saved as a new version (``version`` + 1, the old one not current),
    so ticks of past incidents keep pointing at the text that was used."""

    list_display = ["code", "version", "title", "duty_role", "organisation", "is_current"]
    list_filter = ["is_current", "duty_role"]
    search_fields = ["code", "title"]


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
