"""Issue 14, requirement 5: anyone can check the count. The chain head (length and hash of
the last record) is published wherever a count is: on the consultation page, in the API,
in each `tally.updated`, in the Berita Acara and the final report; and the standalone
verifier recounts the chain up to the head a published tally names."""

import io
import json

import docx
import pytest
from django.test import Client
from django.urls import reverse

from consultations import services as consultation_services
from realtime.models import StreamEvent
from tests.factories import AgendaItemFactory, HearingFactory
from voting import payloads, services, verify_log
from voting.models import VoteChain, VoteRecord
from voting.verify_log import GENESIS

pytestmark = pytest.mark.django_db


def head_of(consultation) -> dict:
    chain = VoteChain.objects.get(consultation=consultation)
    return {"length": chain.length, "head": chain.head}


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def voted(representative, other_representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="against")
    return stance_item


def test_before_any_vote_the_chain_is_empty(api_as, stance_item):
    tally = api_as(None).get(f"/api/v1/items/{stance_item.pk}/tally/").json()

    assert tally["chain"] == {"length": 0, "head": GENESIS}


def test_the_api_publishes_the_head_with_every_tally_and_the_log(api_as, voted):
    client = api_as(None)
    consultation = voted.consultation_id
    head = head_of(voted.consultation)

    assert head["length"] == 2
    assert client.get(f"/api/v1/items/{voted.pk}/tally/").json()["chain"] == head
    tallies = client.get(f"/api/v1/consultations/{consultation}/tallies/").json()
    assert tallies["chain"] == head
    assert [row["chain"] for row in tallies["results"]] == [head]
    assert client.get(f"/api/v1/consultations/{consultation}/vote-log/").json()["chain"] == head


def test_a_secret_ballot_publishes_its_head_but_no_count(api_as, representative, secret_item):
    services.vote_cast(actor=representative, item=secret_item, choice="for")

    tally = api_as(None).get(f"/api/v1/items/{secret_item.pk}/tally/").json()

    assert tally["hidden"] is True and tally["counts"] == {}
    assert tally["chain"] == head_of(secret_item.consultation)


def test_each_tally_event_names_the_head_its_record_made(
    representative, other_representative, stance_item
):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="abstain")
    services.vote_withdraw(actor=representative, item=stance_item)

    events = StreamEvent.objects.filter(type="tally.updated").order_by("seq")
    records = VoteRecord.objects.filter(consultation=stance_item.consultation).order_by("seq")
    assert [event.data["chain"] for event in events] == [
        {"length": record.seq, "head": record.hash} for record in records
    ]


def test_the_final_tallies_of_a_secret_ballot_are_announced_with_the_head(
    official, representative, secret_item
):
    services.vote_cast(actor=representative, item=secret_item, choice="against")
    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    event = StreamEvent.objects.get(type="tally.updated")
    assert event.data["counts"]["against"] == 1
    assert event.data["chain"] == head_of(secret_item.consultation)


def test_tallies_of_one_consultation_read_the_head_once(
    approval_consultation, approval_items, representative, django_assert_num_queries
):
    services.vote_cast(actor=representative, item=approval_items[0], choice="approve")
    with django_assert_num_queries(2):  # the items with their tallies, the chain head
        rows = payloads.tallies_of(approval_consultation)
    assert len({json.dumps(row["chain"]) for row in rows}) == 1


def test_the_consultation_page_shows_the_head_and_links_the_receipt_check(voted):
    html = client_as(None).get(reverse("consultation-detail", args=[voted.consultation_id]))
    html = html.content.decode()
    head = head_of(voted.consultation)

    assert head["head"] in html
    assert 'href="/tanda-terima/"' in html
    assert f"/api/v1/consultations/{voted.consultation_id}/vote-log/" in html


def test_the_vote_panel_links_the_receipt_to_its_check(representative, organization, voted):
    url = reverse("consultation-detail", args=[voted.consultation_id])
    html = client_as(representative).get(url).content.decode()
    receipt = voted.votes.get(organization=organization).receipt

    assert f"/tanda-terima/?receipt={receipt}" in html


@pytest.fixture
def hearing(voted):
    hearing = HearingFactory(consultation=voted.consultation, title="Forum Konsultasi Publik")
    AgendaItemFactory(hearing=hearing, title="Pemungutan suara", item=voted, position=1)
    return hearing


def test_the_berita_acara_prints_the_head_on_the_page_and_in_word(official, hearing):
    head = head_of(hearing.consultation)["head"]
    client = client_as(official)

    page = client.get(reverse("hearing-minutes", args=[hearing.pk])).content.decode()
    word = client.get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)

    assert f"2 catatan, kepala rantai {head}" in page
    assert f"2 catatan, kepala rantai {head}" in text


def test_the_final_report_prints_the_head_under_the_final_tallies(planner, voted):
    url = reverse("consultation-final-report", args=[voted.consultation_id])
    html = client_as(planner).get(url).content.decode()

    assert head_of(voted.consultation)["head"] in html
    assert html.index("tallies-title") < html.index(head_of(voted.consultation)["head"])


def test_the_verifier_recounts_up_to_the_head_a_published_tally_names(
    api_as, voted, representative, tmp_path, capsys
):
    client = api_as(None)
    tallies = tmp_path / "tallies.json"
    tallies.write_text(
        json.dumps(client.get(f"/api/v1/consultations/{voted.consultation_id}/tallies/").json())
    )
    services.vote_withdraw(actor=representative, item=voted)  # the count moves on
    log = tmp_path / "log.json"
    log.write_text(
        json.dumps(client.get(f"/api/v1/consultations/{voted.consultation_id}/vote-log/").json())
    )

    assert verify_log.main([str(log), "--tallies", str(tallies)]) == 0
    assert "OK: chain intact" in capsys.readouterr().out

    saved = json.loads(tallies.read_text())
    saved["chain"]["head"] = "f" * 64
    tallies.write_text(json.dumps(saved))
    assert verify_log.main([str(log), "--tallies", str(tallies)]) == 1
