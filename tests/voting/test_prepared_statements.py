"""PostgreSQL parses and plans a vote's statements once per connection, not on every vote
(backend/settings.py: `server_side_binding` + `prepare_threshold`; docs/PERFORMANCE.md)."""

import pytest
from django.db import connection

from voting import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared(pattern: str) -> list[int]:
    """How often each prepared statement matching `pattern` has run on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [pattern],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_vote_lock_is_a_prepared_statement_after_a_few_votes(representative, stance_item):
    for choice in ["for", "against"] * 5:
        services.vote_cast(actor=representative, item=stance_item, choice=choice)

    # Locks the vote row only (it joins the item for the ballot's salt).
    executions = _prepared('%FROM "voting_vote" %FOR UPDATE OF "voting_vote"')
    # psycopg prepares it once it has run five times (threshold 5); the later runs reuse it.
    assert len(executions) == 1
    assert executions[0] >= 5


def test_the_write_of_a_change_is_one_prepared_statement(representative, stance_item):
    """Record, chain head, vote and tally in one statement (VoteRecord.objects.append): a
    change from "for" to "against" always has the same shape, so it is prepared too."""
    for choice in ["for", "against"] * 6:
        services.vote_cast(actor=representative, item=stance_item, choice=choice)

    executions = _prepared('WITH r AS (INSERT INTO "voting_voterecord"%')
    assert executions and max(executions) >= 1
