"""Secret ballot: no tally until voting closes, no organization's choice ever — in every channel."""

import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from consultations import services as consultation_services
from realtime.models import StreamEvent
from voting import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(representative, other_representative, secret_item):
    services.vote_cast(actor=representative, item=secret_item, choice="for")
    services.vote_cast(actor=other_representative, item=secret_item, choice="against")
    return secret_item


def public_texts(api_as, user, item):
    client = api_as(user)
    consultation = item.consultation_id
    return {
        "tally": client.get(f"/api/v1/items/{item.pk}/tally/").json(),
        "tallies": client.get(f"/api/v1/consultations/{consultation}/tallies/").json(),
        "log": client.get(f"/api/v1/consultations/{consultation}/vote-log/").json(),
    }


@pytest.mark.parametrize(
    "persona", ["anonymous", "citizen", "official", "planner", "other_representative"]
)
def test_tallies_are_hidden_while_secret_voting_is_open(request, api_as, voted, persona):
    user = request.getfixturevalue(persona)
    texts = public_texts(api_as, user, voted)

    assert texts["tally"] == {
        "item": voted.pk,
        "counts": {},
        "total": None,
        "hidden": True,
        "chain": texts["log"]["chain"],  # the head is public: a count of records, a hash
    }
    assert texts["log"]["chain"]["length"] == 2
    assert texts["tallies"]["hidden"] is True
    assert texts["tallies"]["results"][0]["counts"] == {}


@pytest.mark.parametrize("persona", ["anonymous", "official", "other_representative"])
def test_open_secret_log_is_sealed_and_names_no_one(request, api_as, voted, organization, persona):
    user = request.getfixturevalue(persona)
    log = public_texts(api_as, user, voted)["log"]
    raw = json.dumps(log)

    assert len(log["results"]) == 2
    assert all(entry["sealed"] for entry in log["results"])
    assert all("choice" not in entry and "voter" not in entry for entry in log["results"])
    assert organization.name not in raw
    assert "organization" not in raw


def test_after_close_tallies_show_but_choices_stay_secret(
    api_as, official, voted, organization, other_organization
):
    consultation_services.consultation_close(
        actor=official, consultation=voted.consultation, reason="Rapat pleno selesai."
    )
    texts = public_texts(api_as, None, voted)
    raw = json.dumps(texts)

    assert texts["tally"]["counts"] == {"for": 1, "against": 1, "abstain": 0}
    assert texts["tally"]["hidden"] is False
    assert all(not entry["sealed"] for entry in texts["log"]["results"])
    assert organization.name not in raw
    assert other_organization.name not in raw
    assert "organization" not in raw


def test_no_tally_event_is_published_while_secret_voting_is_open(voted):
    assert not StreamEvent.objects.filter(type="tally.updated").exists()


def test_closing_a_secret_ballot_publishes_each_final_tally_without_names(
    official, voted, organization
):
    consultation_services.consultation_close(
        actor=official, consultation=voted.consultation, reason="Rapat pleno selesai."
    )

    events = list(StreamEvent.objects.filter(type="tally.updated"))
    assert [event.stream for event in events] == [voted.consultation.stream]
    assert events[0].data["counts"] == {"for": 1, "against": 1, "abstain": 0}
    assert events[0].data["hidden"] is False
    assert organization.name not in json.dumps(events[0].data)


def test_own_organization_still_sees_its_own_choice(api_as, member, voted):
    body = api_as(member).get(f"/api/v1/items/{voted.pk}/vote/").json()

    assert body["choice"] == "for"


def test_other_organizations_never_see_anothers_choice(api_as, other_representative, voted):
    body = api_as(other_representative).get(f"/api/v1/items/{voted.pk}/vote/").json()

    assert body["choice"] == "against"  # their own, not Pelita's


def render_item(user, item):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load voting_tags %}{% item_vote item %}")
    return template.render(Context({"request": request, "item": item}))


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_representative", "official"])
def test_item_panel_shows_no_secret_tally(request, voted, persona):
    html = render_item(request.getfixturevalue(persona), voted)

    assert "Suara rahasia" in html
    assert "tally-figure" not in html


def render_org(user, organization):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load voting_tags %}{% organization_votes organization %}")
    return template.render(Context({"request": request, "organization": organization}))


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_representative", "official"])
def test_organization_page_hides_secret_votes_from_outsiders(request, voted, organization, persona):
    html = render_org(request.getfixturevalue(persona), organization)

    assert voted.consultation.title not in html
    assert organization.votes.get().receipt not in html


def test_organization_page_shows_secret_votes_to_the_organization(voted, member, organization):
    html = render_org(member, organization)

    assert voted.consultation.title in html
    assert organization.votes.get().receipt in html
