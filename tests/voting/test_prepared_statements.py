"""PostgreSQL parses and plans a vote's statements once per connection, not on every vote
(backend/settings.py: `server_side_binding` + `prepare_threshold`; docs/PERFORMANCE.md)."""

import pytest
from django.db import connection

from voting import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_vote_lock_is_a_prepared_statement_after_a_few_votes(representative, stance_item):
    for choice in ["for", "against"] * 5:
        services.vote_cast(actor=representative, item=stance_item, choice=choice)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%FROM "voting_vote" WHERE%FOR UPDATE'],
        )
        executions = cursor.fetchall()
    # psycopg prepares it once it has run five times (threshold 5); the later runs reuse it.
    assert len(executions) == 1
    assert executions[0][0] >= 5
