"""Exports with real votes: totals per choice, receipts, and the secret-ballot rule."""

import csv
import datetime
import io
import json
import random
from collections import Counter

import openpyxl
import pytest
from django.utils import timezone

from accounts.models import Membership
from consultations.models import Consultation
from tests.factories import ItemFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.feedback_data import consultation_with_comments
from voting import services as voting
from voting.models import Vote


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def representatives(n):
    return [
        MembershipFactory(
            user=UserFactory(),
            organization=OrganizationFactory(),
            role=Membership.Role.REPRESENTATIVE,
        ).user
        for _ in range(n)
    ]


def export(client, consultation, fmt):
    response = client.get(f"/api/v1/consultations/{consultation.pk}/export.{fmt}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def close_voting(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()


@pytest.mark.parametrize("seed", [7, 8])
def test_vote_totals_in_every_format_equal_the_votes_in_the_database(
    api_as, planner, world, representative, seed
):
    rng = random.Random(seed)
    extra = ItemFactory(consultation=world.consultation, title="Program Air Bersih")
    items = [*world.items, extra]
    for voter in [representative, *representatives(rng.randint(3, 8))]:
        for item in rng.sample(items, rng.randint(1, len(items))):
            voting.vote_cast(
                actor=voter, item=item, choice=rng.choice(["for", "against", "abstain"])
            )
    expected = Counter(
        Vote.objects.filter(item__consultation=world.consultation).values_list("choice", flat=True)
    )
    client = api_as(planner)

    csv_response, _content = export(client, world.consultation, "csv")
    json_response, content = export(client, world.consultation, "json")
    xlsx_response, workbook = export(client, world.consultation, "xlsx")
    document = json.loads(content)
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}

    totals = {choice: expected.get(choice, 0) for choice in ("abstain", "against", "for")}
    header = ",".join(f"{choice}={n}" for choice, n in totals.items())
    for response in (csv_response, json_response, xlsx_response):
        assert response["X-Export-Votes"] == header
    assert document["totals"]["votes"] == totals
    assert summary["Suara Setuju"] == expected["for"]
    assert summary["Suara Tidak setuju"] == expected["against"]
    assert summary["Suara Abstain"] == expected["abstain"]
    assert len(document["votes"]) == sum(expected.values())
    assert len(document["vote_log"]) >= sum(expected.values())
    per_item = {t["item"]: t["total"] for t in document["tallies"]}
    for item in items:
        assert per_item[item.pk] == Vote.objects.filter(item=item).count()
    assert book["Suara"].max_row - 1 == sum(expected.values())


def test_vote_sheet_lists_organization_choice_and_receipt(api_as, planner, world, representative):
    item = world.items[0]
    vote = voting.vote_cast(actor=representative, item=item, choice="for")

    _response, workbook = export(api_as(planner), world.consultation, "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(workbook))["Suara"].iter_rows(values_only=True))

    assert rows[0] == ("Butir", "Organisasi", "Pilihan", "Waktu (WIB)", "Tanda terima")
    assert rows[1][:3] == (item.title, "LSM Pelita Pasuruan", "Setuju")
    assert isinstance(rows[1][3], datetime.datetime)
    assert rows[1][4] == Vote.objects.get(pk=vote.pk).receipt


def test_secret_ballot_hides_tallies_and_voters_while_voting_is_open(
    api_as, planner, world, representative
):
    Consultation.objects.filter(pk=world.consultation.pk).update(ballot="secret")
    world.consultation.refresh_from_db()
    voting.vote_cast(actor=representative, item=world.items[0], choice="against")
    client = api_as(planner)

    json_response, content = export(client, world.consultation, "json")
    xlsx_response, workbook = export(client, world.consultation, "xlsx")
    csv_response, _csv = export(client, world.consultation, "csv")
    document = json.loads(content)
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}

    for response in (json_response, xlsx_response, csv_response):
        assert response["X-Export-Votes"] == "hidden"
    assert all(t["hidden"] and t["counts"] is None for t in document["tallies"])
    assert document["totals"]["votes"] is None
    assert document["votes"] is None
    assert b"against" not in content.split(b'"vote_log"')[1]
    assert "LSM Pelita Pasuruan" not in content.decode().split('"vote_log"')[1]
    assert "Suara" not in book.sheetnames
    assert summary["Suara"].startswith("tersembunyi")
    assert summary["Memberi suara"] == "tersembunyi"
    assert book["Ringkasan"]._charts == []


def test_after_a_secret_ballot_closes_tallies_show_but_never_who_chose_what(
    api_as, planner, world, representative
):
    Consultation.objects.filter(pk=world.consultation.pk).update(ballot="secret")
    world.consultation.refresh_from_db()
    voting.vote_cast(actor=representative, item=world.items[0], choice="against")
    close_voting(world.consultation)

    response, content = export(api_as(planner), world.consultation, "json")
    document = json.loads(content)
    _response, workbook = export(api_as(planner), world.consultation, "xlsx")

    assert response["X-Export-Votes"] == "abstain=0,against=1,for=0"
    assert document["tallies"][0]["counts"]["against"] == 1
    assert document["votes"] is None
    assert "LSM Pelita Pasuruan" not in content.decode().split('"vote_log"')[1]
    assert "Suara" not in openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames


def test_dashboard_shows_live_tallies_and_who_voted(client, planner, world, representative):
    voting.vote_cast(actor=representative, item=world.items[1], choice="for")
    client.force_login(planner)

    response = client.get(f"/konsultasi/{world.consultation.pk}/dasbor/")

    rows = {row["tally"].item.pk: row for row in response.context["tally_rows"]}
    assert rows[world.items[1].pk]["tally"].counts["for"] == 1
    assert response.context["participation"]["voted"] == 1
    assert response.context["stream_seq"] >= 1


def test_minutes_report_online_votes_apart_from_manual_counts(
    api_as, official, world, representative
):
    import docx

    from tests.factories import AgendaItemFactory, HearingFactory, ManualCountFactory

    item = world.items[1]
    voting.vote_cast(actor=representative, item=item, choice="for")
    hearing = HearingFactory(consultation=world.consultation)
    AgendaItemFactory(hearing=hearing, title="Pemungutan suara program", item=item)
    ManualCountFactory(hearing=hearing, item=item, counts={"for": 20, "against": 2, "abstain": 0})

    response = api_as(official).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)

    assert "Suara daring (Ruang Dialog): Setuju 1, Tidak setuju 0, Abstain 0, jumlah 1" in text
    assert "Hitung manual (angkat tangan): Setuju 20, Tidak setuju 2, Abstain 0, jumlah 22" in text


def test_csv_rows_are_unchanged_by_votes(api_as, planner, world, representative):
    voting.vote_cast(actor=representative, item=world.items[0], choice="for")

    _response, content = export(api_as(planner), world.consultation, "csv")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(world.published)
