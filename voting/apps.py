from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from consultations.signals import consultation_closed, consultation_closing, votes_cast
        from hearings.signals import hearing_ending
        from voting import selectors, services

        consultation_closing.connect(services.close_chain_on_closing)
        consultation_closed.connect(services.announce_tallies_on_close)
        hearing_ending.connect(services.close_window_on_hearing_end)
        votes_cast.connect(selectors.votes_cast_in)
