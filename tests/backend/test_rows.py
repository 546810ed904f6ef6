"""backend.rows: hand-written single-row SQL reads and writes what the ORM would."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from backend import rows
from consultations.models import Organization
from realtime.models import StreamEvent
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_loaded_row_equals_the_orm_instance():
    organization = OrganizationFactory(registration_expires_on=datetime.date(2027, 3, 12))

    row = rows.execute(
        f"SELECT {rows.columns(Organization, 'o')} FROM {rows.table(Organization)} o"  # noqa: S608
        " WHERE o.id = %s",
        [organization.pk],
    )
    loaded, end = rows.load(Organization, row)

    stored = Organization.objects.get(pk=organization.pk)
    assert end == len(row)
    for field in Organization._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(stored, field.attname), field.name
    assert timezone.is_aware(loaded.created_at)


def test_an_inserted_row_reads_back_through_the_orm():
    moment = timezone.now()
    values = {"stream": "test:1", "seq": 1, "type": "tally.updated", "audience": "public"}
    values.update(data={"item": 7, "counts": {"for": 2}}, created_at=moment)

    (event_id,) = rows.insert(StreamEvent, values, returning="id")

    event = StreamEvent.objects.get(pk=event_id)
    assert event.data == {"item": 7, "counts": {"for": 2}}
    assert event.created_at == moment


def event_values(stream: str, seq: int) -> dict:
    """Every column: hand-written inserts apply no Python-side defaults."""
    values = {"stream": stream, "seq": seq, "type": "tally.updated", "audience": "public"}
    return {**values, "data": {}, "created_at": timezone.now()}


def test_writes_together_all_happen_and_return_their_values():
    first = rows.insert_sql(StreamEvent, event_values("test:2", 1))
    second = rows.insert_sql(StreamEvent, event_values("test:2", 2))

    first_id, nothing = rows.together((*first, "id"), (*second, ""))

    assert nothing is None
    assert StreamEvent.objects.get(pk=first_id).seq == 1
    assert StreamEvent.objects.filter(stream="test:2").count() == 2


def test_writes_together_roll_back_with_their_transaction():
    statement = rows.insert_sql(StreamEvent, event_values("test:3", 1))

    with pytest.raises(RuntimeError), transaction.atomic():
        rows.together((*statement, "id"))
        raise RuntimeError("the change fails after the write")

    assert not StreamEvent.objects.filter(stream="test:3").exists()


@pytest.mark.postgres
def test_hot_statements_are_prepared_once_and_planned_generically():
    """Django turns psycopg's preparation off; without our threshold every vote statement
    would be parsed and planned afresh (docs/PERFORMANCE.md "Votes")."""
    organization = OrganizationFactory()
    sql = (
        f"SELECT {rows.columns(Organization, 'o')} FROM {rows.table(Organization)} o"  # noqa: S608
        " WHERE o.id = %s"
    )
    for _ in range(7):
        rows.execute(sql, [organization.pk])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%FROM "consultations_organization" o WHERE o.id = $1'],
        )
        assert cursor.fetchall() == [(7, 0)]


@pytest.mark.postgres
def test_the_orms_own_statements_are_not_prepared():
    for _ in range(7):
        list(Organization.objects.filter(name="x"))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"consultations_organization"."name" = %'],
        )
        assert cursor.fetchone() == (0,)
