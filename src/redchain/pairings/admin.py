"""Django admin for superusers. Day-to-day work goes through the pages and the API, which audit every change."""

from django.contrib import admin

from redchain.pairings import models


class PromiseInline(admin.TabularInline):
    model = models.PairingPromise
    extra = 0


class ProjectInline(admin.TabularInline):
    model = models.PairingProject
    extra = 0


@admin.register(models.Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "agency_org", "partner_kind", "mechanism", "status", "started_on"]
    list_filter = ["zone", "partner_kind", "mechanism", "status"]
    search_fields = ["name", "partner_name"]
    raw_id_fields = ["agency_org", "partner_enterprise", "partner_party_org"]
    inlines = [PromiseInline, ProjectInline]
