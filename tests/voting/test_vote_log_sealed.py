"""Issue 14, finding 2: an open secret ballot's published log gives away no count.

Counting `cast` minus `withdraw` per item in the log reproduced the hidden tally (and,
under a stance ballot, the turnout per item). While the secret ballot is open, each
record now shows only its place in the chain; the page carries the chain head. After the
close everything comes back and the replay gives the tallies.
"""

import json
from collections import Counter

import pytest

from consultations import services as consultation_services
from consultations.models import Consultation
from tests.factories import ConsultationFactory, ItemFactory
from tests.voting.conftest import representatives
from voting import services, verify_log

pytestmark = pytest.mark.django_db

SEALED_ENTRY = {"seq", "prev_hash", "hash", "sealed"}


@pytest.fixture
def secret_approval():
    """A secret approval ballot: there the cast-minus-withdraw count *is* the tally."""
    consultation = ConsultationFactory(
        title="Pilihan Program Rahasia",
        ballot=Consultation.Ballot.SECRET,
        voting_method=Consultation.VotingMethod.APPROVAL,
        max_choices=2,
    )
    items = [ItemFactory(consultation=consultation, title=f"Program {n}") for n in (1, 2, 3)]
    voters = representatives(3, prefix="rahasia")
    for voter in voters:
        services.vote_cast(actor=voter, item=items[0], choice="approve")
    services.vote_cast(actor=voters[0], item=items[1], choice="approve")
    services.vote_withdraw(actor=voters[1], item=items[0])
    return consultation, items


def read_log(client, consultation):
    pages, link = [], f"/api/v1/consultations/{consultation.pk}/vote-log/?page_size=2"
    while link:
        page = client.get(link).json()
        pages.append(page)
        link = page["next"]
    return pages, [entry for page in pages for entry in page["results"]]


def cast_minus_withdraw(records) -> Counter:
    """The attack of finding 2, as an observer would run it on the published log."""
    counts = Counter()
    for record in records:
        if "item" in record and "action" in record:
            counts[record["item"]] += {"cast": 1, "withdraw": -1}.get(record["action"], 0)
    return counts


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "official", "other_representative"])
def test_an_open_secret_ballot_log_has_no_item_action_or_time_to_count(
    request, api_as, secret_approval, persona
):
    consultation, _items = secret_approval
    pages, records = read_log(api_as(request.getfixturevalue(persona)), consultation)

    assert len(records) == 5
    assert all(set(record) == SEALED_ENTRY for record in records)
    assert cast_minus_withdraw(records) == Counter()


def test_the_sealed_log_still_publishes_the_chain_head_and_its_links(api_as, secret_approval):
    consultation, _items = secret_approval
    pages, records = read_log(api_as(None), consultation)

    assert all(page["sealed"] is True for page in pages)
    assert pages[0]["chain"] == {"length": 5, "head": records[-1]["hash"]}
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5]
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(records, records[1:], strict=False))


def test_after_the_close_the_log_counts_again_and_replays_to_the_tallies(
    api_as, official, secret_approval
):
    consultation, items = secret_approval
    consultation_services.consultation_close(
        actor=official, consultation=consultation, reason="Rapat pleno selesai."
    )
    client = api_as(None)
    pages, records = read_log(client, consultation)

    assert pages[0]["sealed"] is False
    assert all({"item", "action", "at", "choice", "voter"} <= set(r) for r in records)
    assert cast_minus_withdraw(records) == Counter({items[0].pk: 2, items[1].pk: 1})
    problems, replayed = verify_log.verify(records)
    assert problems == []
    tallies = client.get(f"/api/v1/consultations/{consultation.pk}/tallies/").json()["results"]
    assert {t["item"]: t["counts"]["approve"] for t in tallies} == {
        items[0].pk: 2,
        items[1].pk: 1,
        items[2].pk: 0,
    }
    assert {item: dict(counts) for item, counts in replayed.items()} == {
        items[0].pk: {"approve": 2},
        items[1].pk: {"approve": 1},
    }


def test_the_json_export_of_an_open_secret_ballot_carries_the_sealed_log(
    api_as, planner, secret_approval
):
    consultation, _items = secret_approval
    response = api_as(planner).get(f"/api/v1/consultations/{consultation.pk}/export.json")
    document = json.loads(b"".join(response.streaming_content))

    assert len(document["vote_log"]) == 5
    assert all(set(entry) == SEALED_ENTRY for entry in document["vote_log"])


def test_the_standalone_verifier_checks_a_sealed_logs_links_and_a_written_down_head(
    api_as, secret_approval, tmp_path, capsys
):
    consultation, _items = secret_approval
    _pages, records = read_log(api_as(None), consultation)
    log = tmp_path / "log.json"
    log.write_text(json.dumps(records))

    assert verify_log.main([str(log), "--head", records[2]["hash"]]) == 0
    assert "5 records sealed" in capsys.readouterr().out

    log.write_text(json.dumps(records[:2] + records[3:]))
    assert verify_log.main([str(log)]) == 1
