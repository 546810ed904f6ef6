from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Comment analysis")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from analysis import tasks
        from comments.models import Comment

        # comments sits below analysis (ARCHITECTURE.md §1): it knows nothing of it; a
        # change to a comment reaches the analysis through Django's own model signals.
        post_save.connect(tasks.comment_changed, sender=Comment, dispatch_uid="analysis.saved")
        post_delete.connect(tasks.comment_changed, sender=Comment, dispatch_uid="analysis.deleted")
