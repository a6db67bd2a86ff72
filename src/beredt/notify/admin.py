from django.contrib import admin

from .models import DeliveryAttempt, Message


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "ok", "permanent", "error", "duration_ms"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "purpose", "status", "attempts", "is_exercise"]
    list_filter = ["channel", "status", "purpose", "is_exercise"]
    search_fields = ["reference"]
    readonly_fields = ["created_at", "sent_at", "read_at"]
    inlines = [DeliveryAttemptInline]
