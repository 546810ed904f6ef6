"""A planner answers a theme or a duplicate group once: every comment in it gets the
response (comments.responses.comment_respond in a loop, one transaction)."""

import pytest
from django.urls import reverse

from analysis import selectors, services
from comments import moderation as comment_moderation
from comments import responses as comment_responses
from comments.models import Response
from tests.factories import CommentFactory, UserFactory

LETTER = (
    "Kami orang tua siswa dari keluarga nelayan memohon agar kuota beasiswa pendidikan untuk "
    "anak SMP dan SMA ditambah. Banyak anak kami berhenti sekolah setelah lulus SD karena "
    "biaya transportasi dan seragam."
)


@pytest.fixture
def campaign(open_consultation, analyse):
    letters = [
        CommentFactory(
            consultation=open_consultation,
            author=UserFactory(username=f"ortu{n}"),
            body=LETTER + f" Salam dari Kelurahan {n}.",
        )
        for n in range(6)
    ]
    CommentFactory(consultation=open_consultation, body="Lampu jalan di gang kami mati semua.")
    analyse(open_consultation)
    group = open_consultation.analysis.groups.get()
    return group, letters


def test_answering_a_campaign_once_answers_each_of_its_comments(planner, campaign):
    group, letters = campaign
    answered = services.group_respond(
        actor=planner, group=group, outcome="partially_accepted", body="Kuota ditambah 20%."
    )
    assert answered == 6
    responses = Response.objects.filter(comment__in=letters)
    assert responses.count() == 6
    assert {(r.outcome, r.body, r.responder) for r in responses} == {
        ("partially_accepted", "Kuota ditambah 20%.", planner)
    }


def test_an_existing_answer_is_replaced_not_duplicated(planner, official, campaign):
    group, letters = campaign
    comment_responses.comment_respond(actor=official, comment=letters[0], outcome="noted", body="X")
    services.group_respond(actor=planner, group=group, outcome="accepted", body="Diterima.")
    assert Response.objects.filter(comment__in=letters).count() == 6
    assert Response.objects.get(comment=letters[0]).outcome == "accepted"


def test_a_bad_answer_answers_none(planner, campaign):
    group, letters = campaign
    with pytest.raises(Exception):  # noqa: B017 - Invalid: the explanation is missing
        services.group_respond(actor=planner, group=group, outcome="accepted", body=" ")
    assert not Response.objects.filter(comment__in=letters).exists()


def test_a_hidden_member_is_left_out(planner, moderator, campaign):
    group, letters = campaign
    comment_moderation.comment_hide(actor=moderator, comment=letters[0], reason="Ganda")
    assert services.group_respond(actor=planner, group=group, outcome="noted", body="Ok.") == 5


def test_a_theme_is_answered_the_same_way(official, campaign, open_consultation):
    theme = selectors.theme_in(
        open_consultation, selectors.themes(open_consultation)["themes"][0]["id"]
    )
    answered = services.theme_respond(actor=official, theme=theme, outcome="noted", body="Ok.")
    assert answered == Response.objects.count()


@pytest.mark.parametrize("persona", ["moderator", "member", "citizen"])
def test_only_officials_and_planners_answer(request, persona, campaign, api_as, open_consultation):
    group, _letters = campaign
    response = api_as(request.getfixturevalue(persona)).post(
        reverse("consultation-duplicate-group-respond", args=[open_consultation.pk, group.pk]),
        {"outcome": "noted", "body": "Ok."},
        format="json",
    )
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_the_api_answers_with_how_many(campaign, api_as, planner, open_consultation):
    group, _letters = campaign
    response = api_as(planner).post(
        reverse("consultation-duplicate-group-respond", args=[open_consultation.pk, group.pk]),
        {"outcome": "noted", "body": "Dicatat.", "publish": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"answered": 6}
    assert Response.objects.filter(published_at__isnull=False).count() == 6


def test_a_group_of_an_older_computation_is_a_404(campaign, api_as, planner, open_consultation):
    group, _letters = campaign
    url = reverse("consultation-duplicate-group-respond", args=[open_consultation.pk, group.pk])
    services.analysis_compute(consultation=open_consultation, force=True)  # new rows
    response = api_as(planner).post(url, {"outcome": "noted", "body": "Ok."}, format="json")
    assert response.status_code == 404


def test_the_dashboard_form_answers_and_comes_back(client, planner, campaign, open_consultation):
    group, letters = campaign
    client.force_login(planner)
    response = client.post(
        reverse("consultation-group-respond-page", args=[open_consultation.pk, group.pk]),
        {"outcome": "accepted", "body": "Diterima."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#analisis")
    assert Response.objects.filter(comment__in=letters).count() == 6
