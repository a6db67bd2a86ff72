from django.contrib import admin

from .models import Municipality, Postcode, PostcodeMunicipality, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class PostcodeMunicipalityInline(admin.TabularInline):
    model = PostcodeMunicipality
    extra = 0


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [PostcodeMunicipalityInline]
