from django.contrib import admin

from redchain.exchange.models import Match, Need, Project, Resource


@admin.register(Need, Resource)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "alliance", "posted_on", "valid_until")
    list_filter = ("kind", "status", "alliance")
    search_fields = ("title", "description")
    # Writes go through the services (audit, permissions); the admin is for reading.
    readonly_fields = [f.name for f in Need._meta.fields]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "score", "proposed_on", "closed_on", "saved_wan", "deal_value_wan")
    list_filter = ("status", "alliance")
    readonly_fields = [f.name for f in Match._meta.fields]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "alliance", "status", "investment_wan", "started_on", "finished_on")
    list_filter = ("status", "alliance")
    readonly_fields = [f.name for f in Project._meta.fields]
