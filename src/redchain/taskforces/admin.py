"""Django admin for superusers. Day-to-day work goes through the pages, which call the services."""

from django.contrib import admin

from redchain.taskforces import models


class TaskForceMemberInline(admin.TabularInline):
    model = models.TaskForceMember
    extra = 0
    raw_id_fields = ["member"]


@admin.register(models.TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org", "enterprise", "status", "formed_on", "benefit_wan"]
    list_filter = ["zone", "kind", "status"]
    search_fields = ["name", "project"]
    raw_id_fields = ["org", "enterprise"]
    inlines = [TaskForceMemberInline]


@admin.register(models.Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "org", "status", "submitted_on", "adopted_on", "implemented_on", "benefit_wan"]
    list_filter = ["zone", "status"]
    search_fields = ["title", "content"]
    raw_id_fields = ["org", "task_force", "enterprise", "submitter"]
