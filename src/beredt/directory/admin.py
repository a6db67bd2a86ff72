"""Editing the directory in the Django admin; every change is kept by django-simple-history
("History" on each record: who changed which number when)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Closure,
    Contact,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceAtLocation,
)


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fields = ["byday", "opens_at", "closes_at", "holidays", "freq", "interval", "bymonthday",
              "valid_from", "valid_to", "description"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "provider", "municipality", "region", "legal_basis",
                    "visitation", "audience", "status"]
    list_filter = ["kind", "visitation", "audience", "status", "region"]
    search_fields = ["name", "legal_basis", "provider__name", "phones__number"]
    list_select_related = ["provider", "municipality", "region"]
    inlines = [PhoneInline, ScheduleInline, ClosureInline, ContactInline,
               ServiceAtLocationInline]


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "region", "email"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "address_1", "postal_code", "city"]
    search_fields = ["name", "address_1", "city"]


# Registered on their own too, so their history pages are reachable from the admin.
@admin.register(Phone)
class PhoneAdmin(SimpleHistoryAdmin):
    list_display = ["number", "service", "description"]
    search_fields = ["number", "service__name"]


@admin.register(Schedule)
class ScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["service", "byday", "opens_at", "closes_at", "holidays"]
    search_fields = ["service__name"]
