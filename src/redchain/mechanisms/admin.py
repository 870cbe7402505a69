"""Read-mostly admin views of the alliance mechanisms; changes go through the pages and the API."""

from django.contrib import admin

from redchain.mechanisms.models import ActionItem, Activity, Commitment, Meeting, Pact, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "alliance", "zone"]
    list_filter = ["kind", "zone"]
    search_fields = ["name", "address"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "alliance", "kind", "planned_on", "status", "held_on"]
    list_filter = ["kind", "status", "zone"]
    search_fields = ["title", "minutes"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["decision", "alliance", "due_on", "status", "done_on"]
    list_filter = ["status", "zone"]


@admin.register(Pact)
class PactAdmin(admin.ModelAdmin):
    list_display = ["title", "alliance", "signed_on", "valid_until"]
    list_filter = ["zone"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["content", "pact", "due_on", "status"]
    list_filter = ["status", "zone"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "alliance", "action", "held_on", "participant_count"]
    list_filter = ["action", "zone"]
    search_fields = ["title", "summary"]
