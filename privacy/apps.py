from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and personal data")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import public_name_hidden
        from privacy import middleware, services

        def rename_in_event_log(sender, user, pseudonym, **kwargs):
            services.event_log_rename(user=user, pseudonym=pseudonym)

        public_name_hidden.connect(
            rename_in_event_log, weak=False, dispatch_uid="privacy.rename_in_event_log"
        )

        user_logged_in.connect(
            middleware.ask_for_changed_notice,
            weak=False,
            dispatch_uid="privacy.ask_for_changed_notice",
        )
