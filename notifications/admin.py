from django.contrib import admin

from notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutgoingEmail,
    Reminder,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "channel", "read_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["user__username", "title"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, to see what was sent and what failed (and why)."""

    list_display = ["created_at", "to", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_error"]


admin.site.register(NotificationPreference, raw_id_fields=["user"])
admin.site.register(NotificationSettings, raw_id_fields=["user"])
admin.site.register(Reminder)
