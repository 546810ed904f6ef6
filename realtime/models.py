from django.db import connections, models
from django.utils import timezone


class StreamQuerySet(models.QuerySet):
    def advance(self, key: str) -> int | None:
        """Add one to the stream's counter and return the new value, in one statement
        (UPDATE … RETURNING; the ORM's update() returns a row count only, so it would need
        a second statement to read the value back, on every event). The row stays locked
        until the transaction ends. None when the stream has no counter row yet. Table
        and column names come from the model."""
        connection = connections[self.db]
        quote, meta = connection.ops.quote_name, self.model._meta
        last_seq = quote(meta.get_field("last_seq").column)
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {last_seq} = {last_seq} + 1"  # noqa: S608 - names from _meta
            f" WHERE {quote(meta.pk.column)} = %s RETURNING {last_seq}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        return row[0] if row else None


class Stream(models.Model):
    """Per-stream sequence counter; its row lock keeps seq gapless under concurrency."""

    key = models.CharField(max_length=100, primary_key=True)
    last_seq = models.BigIntegerField(default=0)

    objects = StreamQuerySet.as_manager()

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
