from django.contrib import admin

from .models import Assignment, Incident


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fk_name = "incident"
    autocomplete_fields = ["user"]
    exclude = ["assigned_by"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "municipality", "lead_organisation", "status", "is_exercise",
                    "started_at"]
    list_filter = ["status", "kind", "is_exercise"]
    search_fields = ["title", "place"]
    inlines = [AssignmentInline]
    readonly_fields = ["client_id", "created_by", "created_at"]
