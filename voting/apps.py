from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from consultations.signals import consultation_closed
        from hearings.signals import hearing_ending
        from voting import services_live

        consultation_closed.connect(services_live.announce_tallies_on_close)
        hearing_ending.connect(services_live.close_window_on_hearing_end)
