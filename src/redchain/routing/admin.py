"""Read-only admin views of the routers and suggestions: they are written by services, never by hand."""

from django.contrib import admin

from redchain.routing.models import RouterModel, Suggestion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RouterModel)
class RouterModelAdmin(ReadOnly):
    list_display = ("zone", "target", "version", "is_active", "trained_on", "created_at")
    list_filter = ("target", "is_active", "zone")
    exclude = ("blob",)


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = (
        "demand",
        "target",
        "predicted",
        "confidence",
        "source",
        "outcome",
        "chosen",
        "decided_at",
    )
    list_filter = ("target", "outcome", "source")
    raw_id_fields = ("demand", "router")
