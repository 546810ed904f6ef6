"""Follow-up (tindak lanjut): what the government did with an accepted input, dated.

Each row is one progress report on one target: an accepted or partly accepted response
(Tanggapan), an accepted proposal (aspirasi) or an RPJMD programme item. Rows are never
edited: the latest row is the current state, the older ones are its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspiration
from comments.models import Response
from consultations.models import Consultation, Item


class FollowUp(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="follow_ups", db_index=False
    )
    response = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("response"),
    )
    item = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("RPJMD programme"),
    )
    aspiration = models.ForeignKey(
        Aspiration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("proposal"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), max_length=5000)
    link = models.URLField(_("link to a document"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        # The public list pages by (recorded_at, id) within a consultation.
        indexes = [models.Index(fields=["consultation", "recorded_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="followup_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=(
                    Q(response__isnull=False, item__isnull=True, aspiration__isnull=True)
                    | Q(response__isnull=True, item__isnull=False, aspiration__isnull=True)
                    | Q(response__isnull=True, item__isnull=True, aspiration__isnull=False)
                ),
                name="followup_has_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.target_key}: {self.status} {self.progress}%"

    @property
    def target_key(self) -> str:
        """`response:5`, `item:7` or `proposal:3`: which input this row reports on."""
        if self.response_id:
            return f"response:{self.response_id}"
        if self.item_id:
            return f"item:{self.item_id}"
        return f"proposal:{self.aspiration_id}"

    @property
    def anchor(self) -> str:
        """The input's place on the follow-up page (`#response-5`)."""
        return self.target_key.replace(":", "-")
