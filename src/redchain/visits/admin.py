"""Django admin for superusers, read-mostly. Visits are logged and changed through the pages and the API."""

from django.contrib import admin

from redchain.visits import models


class FindingInline(admin.TabularInline):
    model = models.VisitFinding
    extra = 0
    fields = ["title", "urgency", "status", "demand", "resolution_note"]
    readonly_fields = ["status", "demand"]


@admin.register(models.Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "enterprise", "visitor", "department", "purpose", "zone"]
    list_filter = ["zone", "purpose", "department"]
    search_fields = ["enterprise__name", "summary"]
    date_hierarchy = "visited_on"
    raw_id_fields = ["enterprise", "visitor"]
    inlines = [FindingInline]


@admin.register(models.VisitFinding)
class VisitFindingAdmin(admin.ModelAdmin):
    list_display = ["title", "visit", "urgency", "status", "demand"]
    list_filter = ["zone", "status", "urgency"]
    search_fields = ["title", "detail"]
    raw_id_fields = ["visit", "demand", "handled_by"]
