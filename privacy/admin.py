from django.contrib import admin

from privacy.models import ErasureLog


@admin.register(ErasureLog)
class ErasureLogAdmin(admin.ModelAdmin):
    """Read-only audit of closed accounts: counts and pseudonyms, never the erased data."""

    list_display = (
        "erased_at",
        "pseudonym",
        "comments_kept",
        "comments_withdrawn",
        "tokens_revoked",
        "sessions_revoked",
        "memberships_ended",
    )
    date_hierarchy = "erased_at"
    search_fields = ("pseudonym",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
