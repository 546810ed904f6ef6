"""The vote log: a hash chain anyone can recompute; tampering makes verification fail."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from consultations import services as consultation_services
from voting import services, verify_log
from voting.models import Tally, Vote, VoteChain, VoteRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(representative, other_representative, approval_items, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="abstain")
    services.vote_cast(actor=representative, item=stance_item, choice="against")
    services.vote_withdraw(actor=other_representative, item=stance_item)
    services.vote_cast(actor=other_representative, item=stance_item, choice="for")
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")
    return stance_item.consultation


def fetch_log(client, consultation, page_size=2):
    records, link = [], f"/api/v1/consultations/{consultation.pk}/vote-log/?page_size={page_size}"
    while link:
        body = client.get(link).json()
        records.extend(body["results"])
        link = body["next"]
    return records


def test_each_record_links_to_the_previous_one(history):
    records = list(VoteRecord.objects.filter(consultation=history).order_by("seq"))

    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(records, records[1:], strict=False))
    assert VoteChain.objects.get(consultation=history).head == records[-1].hash


def test_the_receipt_is_the_hash_of_the_latest_record(representative, stance_item):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    assert VoteRecord.objects.get(hash=vote.receipt).choice == "for"


def test_published_log_recomputes_to_the_published_tallies(
    api_as, history, stance_item, organization
):
    client = api_as(None)
    records = fetch_log(client, history)

    problems, tallies = verify_log.verify(records)

    assert problems == []
    assert dict(tallies[stance_item.pk]) == {"against": 1, "for": 1}
    assert records[0]["organization"]["name"] == organization.name  # open ballot names them
    published = client.get(f"/api/v1/items/{stance_item.pk}/tally/").json()["counts"]
    assert {k: v for k, v in published.items() if v} == dict(tallies[stance_item.pk])


def test_standalone_script_verifies_a_saved_log(api_as, history, tmp_path, capsys):
    client = api_as(None)
    log = tmp_path / "log.json"
    tallies = tmp_path / "tallies.json"
    log.write_text(json.dumps(fetch_log(client, history)))
    tallies.write_text(
        json.dumps(client.get(f"/api/v1/consultations/{history.pk}/tallies/").json())
    )

    assert verify_log.main([str(log), "--tallies", str(tallies)]) == 0
    assert "OK" in capsys.readouterr().out


def test_standalone_script_catches_an_edited_record(api_as, history, tmp_path):
    records = fetch_log(api_as(None), history)
    records[2]["choice"] = "for"
    log = tmp_path / "log.json"
    log.write_text(json.dumps(records))

    assert verify_log.main([str(log)]) == 1


def test_standalone_script_catches_a_removed_record(api_as, history, tmp_path):
    records = fetch_log(api_as(None), history)
    del records[1]
    log = tmp_path / "log.json"
    log.write_text(json.dumps(records))

    assert verify_log.main([str(log)]) == 1


def test_verify_votes_passes_on_an_intact_database(history):
    call_command("verify_votes")


@pytest.mark.parametrize(
    "tamper",
    [
        "choice",
        "organization",
        "hash",
        "delete_last",
        "vote_row",
        "tally_row",
    ],
)
def test_verify_votes_fails_after_a_row_is_altered_by_hand(
    history, stance_item, other_organization, tamper
):
    records = VoteRecord.objects.filter(consultation=history)
    if tamper == "choice":
        records.filter(seq=1).update(choice="against")
    elif tamper == "organization":
        records.filter(seq=1).update(organization=other_organization)
    elif tamper == "hash":
        records.filter(seq=3).update(hash="f" * 64)
    elif tamper == "delete_last":
        records.filter(seq=5).delete()  # a queryset delete bypasses the model's guard
    elif tamper == "vote_row":
        Vote.objects.filter(item=stance_item, choice="against").update(choice="for")
    elif tamper == "tally_row":
        Tally.objects.filter(item=stance_item).update(for_count=7)

    with pytest.raises(CommandError):
        call_command("verify_votes", "--consultation", str(history.pk))


def test_records_refuse_to_be_saved_again_or_deleted(history):
    record = VoteRecord.objects.first()
    record.choice = "for"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()


def test_secret_ballot_log_becomes_verifiable_after_close(
    api_as, official, representative, other_representative, secret_item
):
    services.vote_cast(actor=representative, item=secret_item, choice="for")
    services.vote_cast(actor=other_representative, item=secret_item, choice="for")
    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    problems, tallies = verify_log.verify(fetch_log(api_as(None), secret_item.consultation))

    assert problems == []
    assert dict(tallies[secret_item.pk]) == {"for": 2}


def test_vote_log_has_no_n_plus_one(api_as, history, django_assert_max_num_queries):
    client = api_as(None)
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/v1/consultations/{history.pk}/vote-log/?page_size=100")
    assert len(response.json()["results"]) == 5
