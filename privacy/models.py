from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureLog(models.Model):
    """One closed account, for the officials' audit: when, under which pseudonym and how
    much was kept or withdrawn — never the erased data itself (UU No. 27/2022)."""

    pseudonym = models.CharField(_("pseudonym"), max_length=20, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now, db_index=True)
    comments_kept = models.PositiveIntegerField(_("comments kept under the pseudonym"), default=0)
    comments_withdrawn = models.PositiveIntegerField(_("comments withdrawn"), default=0)
    tokens_revoked = models.PositiveIntegerField(_("API tokens revoked"), default=0)
    sessions_revoked = models.PositiveIntegerField(_("sessions revoked"), default=0)
    memberships_ended = models.PositiveIntegerField(_("memberships ended"), default=0)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")

    def __str__(self):
        return f"{self.pseudonym} {self.erased_at:%Y-%m-%d %H:%M}"
