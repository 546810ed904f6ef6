from django.db import models
from django.utils import timezone


class Stream(models.Model):
    """Per-stream sequence counter; its row lock keeps seq gapless under concurrency."""

    key = models.CharField(max_length=100, primary_key=True)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}@{self.last_seq}"


class StreamEvent(models.Model):
    """One broadcast event, kept so clients can replay everything after a seq."""

    stream = models.CharField(max_length=100)
    seq = models.BigIntegerField()
    type = models.CharField(max_length=60)
    audience = models.CharField(max_length=20, default="public")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stream", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="streamevent_unique_seq")
        ]

    def __str__(self):
        return f"{self.stream}#{self.seq} {self.type}"
