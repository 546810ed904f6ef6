from django.contrib import admin

from followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Read-only: follow-ups are recorded through the service (page or API), never edited."""

    list_display = ("id", "consultation", "response", "item", "aspiration", "status", "progress")
    list_filter = ("status",)
    raw_id_fields = ("consultation", "response", "item", "aspiration", "recorded_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
