from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AspirationsConfig(AppConfig):
    name = "aspirations"
    verbose_name = _("Aspirations (Musrenbang proposals)")

    def ready(self):
        from django.db.models.signals import post_delete

        from aspirations import forum
        from aspirations.models import ForumProposal
        from hearings.signals import agenda_item_removing

        # Whatever deletes a proposal's place on an agenda, the hearing's pages hear it.
        post_delete.connect(forum.link_deleted, sender=ForumProposal)
        agenda_item_removing.connect(forum.keep_proposal_items)
