from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import receivers

        # The apps below (comments, aspirations, accounts, consultations, hearings, voting)
        # know nothing of notifications (ARCHITECTURE.md §1): each sends a signal of its own
        # inside the service's transaction, and these receivers queue the job on commit.
        receivers.connect()
