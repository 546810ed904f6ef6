"""Totals in every export equal the database counts, for random data sets."""

import csv
import io
import json
import random
from collections import Counter

import openpyxl
import pytest

from comments.models import Comment
from tests.factories import OrganizationFactory, UserFactory

STATUSES = [s for s, _label in Comment.Status.choices]
STANCES = [s for s, _label in Comment.Stance.choices]


def random_comments(consultation, seed):
    rng = random.Random(seed)
    sections = list(consultation.sections.all()) + [None]
    items = list(consultation.items.all()) + [None]
    organizations = [OrganizationFactory() for _ in range(rng.randint(1, 4))] + [None]
    authors = [UserFactory() for _ in range(3)]
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            section=rng.choice(sections),
            item=rng.choice(items),
            organization=rng.choice(organizations),
            author=rng.choice(authors),
            stance=rng.choice(STANCES),
            status=rng.choice(STATUSES),
            is_removed=rng.random() < 0.05,
            body=f"Komentar acak {n} — «{rng.random():.6f}»\n" + "x" * rng.randint(0, 300),
        )
        for n in range(rng.randint(20, 120))
    )


def published(consultation):
    return Comment.objects.filter(consultation=consultation, status="published", is_removed=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_format_carries_totals_equal_to_the_database(
    api_as, planner, open_consultation, seed
):
    random_comments(open_consultation, seed)
    client = api_as(planner)
    base = f"/api/v1/consultations/{open_consultation.pk}/export"
    expected = published(open_consultation)
    by_stance = Counter(expected.values_list("stance", flat=True))

    csv_response = client.get(base + ".csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig")))
    )
    json_response = client.get(base + ".json")
    document = json.loads(b"".join(json_response.streaming_content))
    xlsx_response = client.get(base + ".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}

    count = expected.count()
    assert len(rows) - 1 == count
    assert Counter(row[5] for row in rows[1:]) == by_stance
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(expected.values_list("id", flat=True))
    assert document["totals"]["comments"] == count == len(document["comments"])
    assert book["Komentar"].max_row - 1 == count
    assert summary["Jumlah komentar"] == count
    for response in (csv_response, json_response, xlsx_response):
        assert response["X-Export-Comments"] == str(count)


@pytest.mark.parametrize("seed", [4, 5])
def test_moderator_totals_include_exactly_the_statuses_asked_for(
    api_as, moderator, open_consultation, seed
):
    random_comments(open_consultation, seed)
    expected = Comment.objects.filter(
        consultation=open_consultation, status__in=["published", "pending"], is_removed=False
    )

    response = api_as(moderator).get(
        f"/api/v1/consultations/{open_consultation.pk}/export.json?include=pending"
    )
    document = json.loads(b"".join(response.streaming_content))

    assert document["totals"]["comments"] == expected.count()
    assert Counter(c["status"] for c in document["comments"]) == Counter(
        expected.values_list("status", flat=True)
    )
