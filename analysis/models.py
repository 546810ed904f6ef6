from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from consultations.models import Consultation


class Analysis(models.Model):
    """The stored themes and duplicate groups of one consultation's published comments.

    One row per consultation, replaced in place by each computation (analysis.services).
    `status`: ready (the rows below describe the comments as they are), stale (a comment
    changed since; the rows are the last result and a job is on its way), computing (a job
    is at work; the rows are still the previous result). `changes` counts comment changes,
    so a computation that a change overtook ends stale, not ready.
    """

    class Status(models.TextChoices):
        READY = "ready", _("Up to date")
        STALE = "stale", _("Out of date")
        COMPUTING = "computing", _("Being computed")

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="analysis"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STALE)
    changes = models.PositiveBigIntegerField(default=0)
    computed_changes = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment analysis")
        verbose_name_plural = _("comment analyses")

    def __str__(self):
        return f"analysis of consultation {self.consultation_id} ({self.status})"


class DuplicateGroup(models.Model):
    """Comments that carry the same message with small edits; a campaign when they come
    from more than one author (counted when read: analysis.selectors)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField()
    representative = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("duplicate group")
        verbose_name_plural = _("duplicate groups")

    def __str__(self):
        return f"group {self.position} of {self.analysis}"


class Theme(models.Model):
    """What a share of the comments is about: a label in the words people used, the terms
    behind it, and the comments closest to its centre (ids, best first). Its size, stances
    and sections are counted when read, over the comments still published."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=200)
    terms = models.JSONField(default=list)
    is_other = models.BooleanField(default=False)
    representatives = models.JSONField(default=list)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label


class Placement(models.Model):
    """Where one comment landed: its theme, and its duplicate group if it has one. The
    figures, the exports and the answers to a theme or a group all join through it."""

    comment = models.OneToOneField(
        Comment, primary_key=True, on_delete=models.CASCADE, related_name="placement"
    )
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="placements")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(
        DuplicateGroup, null=True, on_delete=models.CASCADE, related_name="placements"
    )

    class Meta:
        verbose_name = _("comment placement")
        verbose_name_plural = _("comment placements")

    def __str__(self):
        return f"comment {self.comment_id} in theme {self.theme_id}"
