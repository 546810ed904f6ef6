from django.contrib import admin

from analysis.models import Analysis


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    """Read only: results are computed by the job, never edited."""

    list_display = ["consultation", "status", "computed_at", "comment_count", "duration_ms"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Analysis._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
