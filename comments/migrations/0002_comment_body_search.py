"""A trigram index for the comment search (`?q=`, `body__icontains`), on PostgreSQL only.

Without it a rare word scans every comment: ~2 s at 1,000,000 comments, for any anonymous
caller (docs/PERFORMANCE.md, "Scale of reads"). The index matches the SQL Django writes for
icontains, `UPPER(body) LIKE UPPER('%…%')`. pg_trgm ships with PostgreSQL and is a trusted
extension: the database owner may create it. SQLite (the demo) has no such index and needs none.
Not in the model state: Django has no portable way to declare it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_comment_body_trgm "
    "ON comments_comment USING gin (UPPER(body) gin_trgm_ops)"
)
DROP = "DROP INDEX CONCURRENTLY IF EXISTS comments_comment_body_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY: comments stay writable while the index builds

    dependencies = [("comments", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
