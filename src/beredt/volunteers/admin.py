from django.contrib import admin

from .models import (
    AccompanyRequest,
    Onboarding,
    Partnership,
    Volunteer,
    VolunteerShift,
    VolunteerUnit,
)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "commissioner", "agreement_from", "agreement_until"]


@admin.register(VolunteerUnit)
class VolunteerUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "site", "notice_hours"]
    filter_horizontal = ["activity_leaders", "contact_persons"]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "started_on", "stopped_on", "training_done_on"]
    list_filter = ["unit"]


@admin.register(VolunteerShift)
class VolunteerShiftAdmin(admin.ModelAdmin):
    list_display = ["unit", "starts_at", "ends_at", "volunteer", "status"]
    list_filter = ["unit", "status"]
    exclude = ["client_id"]


@admin.register(AccompanyRequest)
class AccompanyRequestAdmin(admin.ModelAdmin):
    list_display = ["shift", "needed_at", "place", "without_relative", "status"]
    exclude = ["client_id"]


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "signed_by", "signed_at"]
