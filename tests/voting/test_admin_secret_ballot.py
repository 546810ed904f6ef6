"""Issue 14, finding 12: the superuser admin showed each organization's choice and the live
counts of an open secret ballot. Now it shows what the public may see, and the ledger is
never added to or changed through the admin (only voting/services.py writes it)."""

import re

import pytest
from django.test import Client

from consultations import services as consultation_services
from tests.factories import ConsultationFactory, ItemFactory, OrganizationFactory
from tests.voting.conftest import representative_of
from voting import services
from voting.models import Tally, Vote, VoteRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballots(representative, other_representative, secret_consultation):
    """Pelita and Harapan vote in a secret ballot; LSM Terbuka in an open one."""
    secret_item = secret_consultation.items.get()
    secret_item.title = "Butir Rahasia"
    secret_item.save()
    services.vote_cast(actor=representative, item=secret_item, choice="for")
    services.vote_cast(actor=other_representative, item=secret_item, choice="against")
    open_item = ItemFactory(
        consultation=ConsultationFactory(title="Terbuka"), title="Butir Terbuka"
    )
    outsider = representative_of(OrganizationFactory(name="LSM Terbuka"), "terbuka")
    services.vote_cast(actor=outsider, item=open_item, choice="abstain")
    return secret_item, open_item


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_vote_list_never_shows_a_secret_ballots_choices(admin_client, ballots):
    secret_item, _open_item = ballots
    receipts = list(Vote.objects.filter(item=secret_item).values_list("receipt", flat=True))

    for query in (
        "",
        "?choice__exact=for",
        "?q=Pelita",
        f"?item__consultation__id__exact={secret_item.consultation_id}",
    ):
        html = page(admin_client, f"/admin/voting/vote/{query}")
        assert "LSM Pelita Pasuruan" not in html
        assert "LSM Harapan Bangsa" not in html
        assert not any(receipt in html for receipt in receipts)
    assert "LSM Terbuka" in page(admin_client, "/admin/voting/vote/")


def test_a_secret_vote_cannot_be_opened_in_the_admin(admin_client, ballots):
    secret_item, _open_item = ballots
    vote = Vote.objects.filter(item=secret_item).first()

    response = admin_client.get(f"/admin/voting/vote/{vote.pk}/change/")

    assert response.status_code == 302  # "does not exist": not in the admin's rows


def test_the_tally_list_hides_an_open_secret_ballot_until_it_closes(
    admin_client, official, ballots
):
    secret_item, _open_item = ballots

    html = page(admin_client, "/admin/voting/tally/")
    assert "Butir Rahasia" not in html
    assert "Butir Terbuka" in html
    tally = Tally.objects.get(item=secret_item)
    assert admin_client.get(f"/admin/voting/tally/{tally.pk}/change/").status_code == 302

    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    assert "Butir Rahasia" in page(admin_client, "/admin/voting/tally/")


def test_vote_records_of_an_open_secret_ballot_show_only_their_place_in_the_chain(
    admin_client, ballots
):
    secret_item, _open_item = ballots
    html = page(
        admin_client,
        f"/admin/voting/voterecord/?consultation__id__exact={secret_item.consultation_id}",
    )

    assert "LSM Pelita Pasuruan" not in html and "LSM Harapan Bangsa" not in html
    assert "Butir Rahasia" not in html
    shown = re.findall(r'class="field-shown_(?:item|organization|action|choice)">([^<]*)<', html)
    assert shown and set(shown) == {"—"}

    record = VoteRecord.objects.filter(item=secret_item).first()
    detail = page(admin_client, f"/admin/voting/voterecord/{record.pk}/change/")
    assert record.hash in detail
    for secret in (record.voter, record.nonce, "Butir Rahasia", "LSM Pelita Pasuruan"):
        assert secret not in detail


def test_after_the_close_records_show_choices_but_never_organizations(
    admin_client, official, ballots
):
    secret_item, _open_item = ballots
    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    html = page(admin_client, "/admin/voting/voterecord/")
    choices = re.findall(r'class="field-shown_choice">([^<]*)<', html)
    assert {"for", "against", "abstain"} <= set(choices)
    assert "LSM Pelita Pasuruan" not in html and "LSM Harapan Bangsa" not in html
    assert "LSM Terbuka" in html  # the open ballot names its voters, as its public log does
    record = VoteRecord.objects.filter(item=secret_item).first()
    assert "LSM Pelita Pasuruan" not in page(
        admin_client, f"/admin/voting/voterecord/{record.pk}/change/"
    )


def test_ballot_papers_of_a_secret_ballot_are_not_listed(admin_client, ballots):
    html = page(admin_client, "/admin/voting/ballot/")

    assert "LSM Pelita Pasuruan" not in html
    assert "LSM Terbuka" in html


@pytest.mark.parametrize("model", ["vote", "tally", "voterecord", "ballot", "votechain"])
def test_the_admin_adds_changes_and_deletes_nothing_of_the_ledger(admin_client, ballots, model):
    _secret_item, open_item = ballots
    pk = {
        "vote": lambda: Vote.objects.get(item=open_item).pk,
        "tally": lambda: open_item.pk,
        "voterecord": lambda: VoteRecord.objects.get(item=open_item).pk,
        "ballot": lambda: open_item.consultation.ballots.get().pk,
        "votechain": lambda: open_item.consultation_id,
    }[model]()

    assert admin_client.get(f"/admin/voting/{model}/add/").status_code == 403
    assert admin_client.post(f"/admin/voting/{model}/{pk}/change/", {}).status_code == 403
    assert (
        admin_client.post(f"/admin/voting/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Vote.objects.filter(item=open_item).exists()
