"""Django admin for superusers, read-mostly: day-to-day writes go through the pages so they are audited."""

from django.contrib import admin

from redchain.partylife import models


class AttendanceInline(admin.TabularInline):
    model = models.Attendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(models.PartyActivity)
class PartyActivityAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "org", "zone"]
    list_filter = ["zone", "kind"]
    search_fields = ["title", "org__name"]
    raw_id_fields = ["org", "recorded_by"]
    inlines = [AttendanceInline]


@admin.register(models.CadenceRule)
class CadenceRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "every_months", "zone", "is_active"]
    list_filter = ["zone"]


@admin.register(models.BranchBrand)
class BranchBrandAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "status", "established_year"]
    list_filter = ["zone", "status"]
    raw_id_fields = ["org"]


@admin.register(models.BranchRating)
class BranchRatingAdmin(admin.ModelAdmin):
    list_display = ["org", "year", "level", "score", "rated_on"]
    list_filter = ["zone", "year", "level"]
    raw_id_fields = ["org"]
