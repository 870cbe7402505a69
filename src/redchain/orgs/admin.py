"""Django admin for superusers. Day-to-day editing goes through the pages and the Excel import."""

from django.contrib import admin

from redchain.orgs import models


@admin.register(models.Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "kind", "is_active"]
    list_filter = ["zone", "kind"]
    search_fields = ["name"]


@admin.register(models.IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "position"]


class QualificationInline(admin.TabularInline):
    model = models.EnterpriseQualification
    extra = 0


@admin.register(models.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "zone", "chain", "scale"]
    list_filter = ["zone", "chain", "scale"]
    search_fields = ["name", "uscc"]
    inlines = [QualificationInline]


@admin.register(models.PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "zone", "path"]
    list_filter = ["zone", "kind", "rating"]
    search_fields = ["name"]
    readonly_fields = ["path", "depth"]


@admin.register(models.PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "status"]
    list_filter = ["status"]
    search_fields = ["name"]


class AllianceMemberInline(admin.TabularInline):
    model = models.AllianceMember
    extra = 0


@admin.register(models.Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "chain"]
    inlines = [AllianceMemberInline]
