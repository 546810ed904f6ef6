from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up (tindak lanjut)")

    def ready(self):
        from followups import receivers, signals

        signals.follow_up_recorded.connect(
            receivers.notify_people, dispatch_uid="followups.notify_people"
        )
