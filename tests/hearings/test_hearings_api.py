"""The `hearings` API: permission matrix, bad input, replay, and no N+1 on the list."""

import pytest
from django.utils import timezone

from hearings import services
from hearings.models import Hearing
from tests.factories import (
    AgendaItemFactory,
    CommentFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/hearings/"


@pytest.fixture
def hearing(open_consultation):
    hearing = HearingFactory(consultation=open_consultation)
    AgendaItemFactory(hearing=hearing, title="Pembukaan", position=1)
    AgendaItemFactory(
        hearing=hearing, title="Keseluruhan", item=open_consultation.items.get(), position=2
    )
    return hearing


@pytest.fixture
def live_hearing(hearing, moderator):
    return services.hearing_start(actor=moderator, hearing=hearing)


def create_body(consultation):
    return {
        "consultation": consultation.pk,
        "title": "Forum Konsultasi Publik Ranperwal",
        "starts_at": timezone.now().isoformat(),
        "location": "Gedung Gradika, Kota Pasuruan",
    }


# --- create ---------------------------------------------------------------------------


def test_official_creates_a_hearing_and_gets_its_display_key(api_as, official, open_consultation):
    response = api_as(official).post(URL, create_body(open_consultation), format="json")
    assert response.status_code == 201, response.data
    assert response.data["status"] == "scheduled"
    assert response.data["display_key"] == Hearing.objects.get().display_key
    assert response.data["urls"]["screen"].endswith(response.data["display_key"])


@pytest.mark.parametrize(
    "persona,code",
    [
        ("moderator", 403),
        ("planner", 403),
        ("representative", 403),
        ("citizen", 403),
        ("anonymous", 401),
    ],
)
def test_only_officials_create_hearings(request, api_as, open_consultation, persona, code):
    response = api_as(request.getfixturevalue(persona)).post(
        URL, create_body(open_consultation), format="json"
    )
    assert response.status_code in (code, 401)
    assert not Hearing.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"starts_at": "besok pagi"},
        {"consultation": 999999},
        {"consultation": "abc"},
        {"title": "x" * 301},
    ],
)
def test_bad_input_is_a_clear_400(api_as, official, open_consultation, change):
    body = {**create_body(open_consultation), **change}
    response = api_as(official).post(URL, body, format="json")
    assert response.status_code == 400
    assert set(change) & set(response.data)
    assert not Hearing.objects.exists()


def test_display_key_is_shown_only_to_those_who_run_the_hearing(
    api_as, hearing, official, moderator, representative, anonymous
):
    for user, visible in ((official, True), (moderator, True), (representative, False)):
        data = api_as(user).get(f"{URL}{hearing.pk}/").data
        assert (data["display_key"] == hearing.display_key) is visible
        assert ("screen" in data["urls"]) is visible
    assert api_as(anonymous).get(f"{URL}{hearing.pk}/").data["display_key"] is None


def test_hearing_of_a_draft_consultation_is_hidden_from_the_public(
    api_as, official, citizen, draft_consultation
):
    hearing = HearingFactory(consultation=draft_consultation)
    assert api_as(citizen).get(f"{URL}{hearing.pk}/").status_code == 404
    assert api_as(official).get(f"{URL}{hearing.pk}/").status_code == 200


# --- list -----------------------------------------------------------------------------


def test_list_has_no_n_plus_one(api_as, moderator, django_assert_max_num_queries):
    for _ in range(6):
        consultation = ConsultationFactory()
        item = ItemFactory(consultation=consultation)
        hearing = HearingFactory(consultation=consultation, status="live")
        agenda = AgendaItemFactory(hearing=hearing, item=item)
        Hearing.objects.filter(pk=hearing.pk).update(current_agenda_item=agenda, voting_item=item)
    client = api_as(moderator)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 6
    assert all(h["voting"]["item"] for h in response.data["results"])


def test_list_filters_by_consultation_and_status(api_as, hearing, anonymous):
    HearingFactory(status="ended")
    client = api_as(anonymous)
    assert client.get(URL, {"consultation": hearing.consultation_id}).data["count"] == 1
    assert client.get(URL, {"status": "ended"}).data["count"] == 1
    assert client.get(URL, {"status": "kacau"}).status_code == 400
    assert client.get(URL, {"consultation": "x"}).status_code == 400


# --- the live session -----------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,code",
    [
        ("official", 200),
        ("moderator", 200),
        ("planner", 403),
        ("representative", 403),
        ("citizen", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_start_a_hearing(request, api_as, hearing, persona, code):
    response = api_as(request.getfixturevalue(persona)).post(f"{URL}{hearing.pk}/start/")
    assert response.status_code in ((code, 401) if persona == "anonymous" else (code,))
    hearing.refresh_from_db()
    assert hearing.is_live is (code == 200)


def test_a_full_session_over_the_api(api_as, moderator, hearing):
    client = api_as(moderator)
    item = hearing.consultation.items.get()
    assert client.post(f"{URL}{hearing.pk}/start/").data["status"] == "live"
    advanced = client.post(f"{URL}{hearing.pk}/advance/").data
    assert advanced["current_agenda_item"]["item"] == item.pk
    opened = client.post(f"{URL}{hearing.pk}/open-voting/", {"item": item.pk}, format="json")
    assert opened.data["voting"]["item"]["id"] == item.pk
    assert client.post(f"{URL}{hearing.pk}/close-voting/").data["voting"] is None
    assert client.post(f"{URL}{hearing.pk}/screen/", {"mode": "frozen"}).data["screen_mode"] == (
        "frozen"
    )
    assert client.post(f"{URL}{hearing.pk}/end/").data["status"] == "ended"
    events = client.get(f"{URL}{hearing.pk}/events/").data["events"]
    assert [e["type"] for e in events] == [
        "hearing.started",
        "agenda.changed",
        "agenda.changed",
        "voting.opened",
        "tally.updated",
        "voting.closed",
        "screen.changed",
        "hearing.ended",
    ]


def test_wrong_state_is_a_409(api_as, moderator, hearing):
    client = api_as(moderator)
    assert client.post(f"{URL}{hearing.pk}/advance/").status_code == 409
    assert client.post(f"{URL}{hearing.pk}/end/").status_code == 409
    assert client.post(f"{URL}{hearing.pk}/close-voting/").status_code == 409


def test_open_voting_rejects_a_missing_or_foreign_item(api_as, moderator, live_hearing):
    client = api_as(moderator)
    url = f"{URL}{live_hearing.pk}/open-voting/"
    assert client.post(url, {}, format="json").status_code == 400
    assert client.post(url, {"item": 999999}, format="json").status_code == 400
    assert client.post(url, {"item": ItemFactory().pk}, format="json").status_code == 400


def test_advance_to_an_unknown_agenda_item_is_a_400(api_as, moderator, live_hearing):
    response = api_as(moderator).post(
        f"{URL}{live_hearing.pk}/advance/", {"agenda_item": 999999}, format="json"
    )
    assert response.status_code == 400


# --- check-in -------------------------------------------------------------------------


def test_member_checks_in_with_the_qr_token(api_as, member, live_hearing):
    token = services.check_in_token(live_hearing)
    response = api_as(member).post(
        f"{URL}{live_hearing.pk}/check-in/", {"token": token}, format="json"
    )
    assert response.status_code == 200
    assert response.data["organization"]["name"] == "LSM Pelita Pasuruan"
    assert response.data["method"] == "qr"


def test_check_in_with_a_forged_token_is_refused(api_as, member, live_hearing):
    response = api_as(member).post(
        f"{URL}{live_hearing.pk}/check-in/", {"token": f"{live_hearing.pk}:abc:def"}, format="json"
    )
    assert response.status_code == 403
    assert api_as(member).post(f"{URL}{live_hearing.pk}/check-in/", {}).status_code == 400


def test_officer_checks_in_an_organization(api_as, moderator, live_hearing, other_organization):
    client = api_as(moderator)
    url = f"{URL}{live_hearing.pk}/check-in/"
    assert client.post(url, {"organization": other_organization.pk}).status_code == 200
    assert client.post(url, {"organization": 999999}).status_code == 400


# --- agenda, speakers, counts, screen ------------------------------------------------


def test_official_edits_the_agenda(api_as, official, representative, hearing):
    client = api_as(official)
    created = client.post(f"{URL}{hearing.pk}/agenda/", {"title": "Penutup"}, format="json")
    assert created.status_code == 201
    agenda_url = f"{URL}{hearing.pk}/agenda/{created.data['id']}/"
    assert client.patch(agenda_url, {"position": 1}, format="json").data["position"] == 1
    assert api_as(representative).delete(agenda_url).status_code == 403
    assert client.delete(agenda_url).status_code == 204
    assert len(client.get(f"{URL}{hearing.pk}/agenda/").data["agenda"]) == 2
    assert client.patch(f"{URL}{hearing.pk}/agenda/999999/", {"position": 1}).status_code == 404


def test_speaker_queue_over_the_api(api_as, moderator, representative, citizen, live_hearing):
    url = f"{URL}{live_hearing.pk}/speakers/"
    asked = api_as(representative).post(url)
    assert asked.status_code == 201
    assert api_as(representative).post(url).status_code == 409
    assert api_as(citizen).post(url).status_code == 403
    chair = api_as(moderator)
    floor = chair.post(f"{url}{asked.data['id']}/floor/", {"seconds": 90}, format="json")
    assert floor.data["status"] == "speaking"
    assert chair.post(f"{url}{asked.data['id']}/floor/", {"seconds": 1}).status_code == 400
    assert chair.get(url).data["speaking"]["seconds"] == 90
    assert chair.post(f"{url}{asked.data['id']}/done/").data["status"] == "done"
    assert chair.post(f"{url}order/", {"order": []}, format="json").status_code == 200


def test_manual_counts_over_the_api(api_as, moderator, representative, live_hearing):
    item = live_hearing.consultation.items.get()
    url = f"{URL}{live_hearing.pk}/manual-counts/"
    body = {"item": item.pk, "method": "paper", "counts": {"for": 20, "against": 2}}
    assert api_as(representative).post(url, body, format="json").status_code == 403
    created = api_as(moderator).post(url, body, format="json")
    assert created.status_code == 201
    assert created.data["total"] == 22
    bad = {**body, "counts": {"for": -3}}
    assert api_as(moderator).post(url, bad, format="json").status_code == 400
    bad = {**body, "counts": {"ya": 3}}
    assert api_as(moderator).post(url, bad, format="json").status_code == 400
    assert len(api_as(representative).get(url).data) == 1


def test_moderator_puts_a_comment_on_the_screen_and_takes_it_off(
    api_as, moderator, member, live_hearing
):
    comment = CommentFactory(consultation=live_hearing.consultation, hearing=live_hearing)
    url = f"{URL}{live_hearing.pk}/screen-comments/"
    assert api_as(member).post(url, {"comment": comment.pk}).status_code == 403
    shown = api_as(moderator).post(url, {"comment": comment.pk})
    assert shown.status_code == 200
    assert shown.data["on_screen_at"]
    assert api_as(moderator).delete(f"{url}{comment.pk}/").data["on_screen_at"] is None
    other = CommentFactory(consultation=live_hearing.consultation)
    assert api_as(moderator).post(url, {"comment": other.pk}).status_code == 404
    assert api_as(moderator).post(url, {"comment": "x"}).status_code == 400


def test_rotate_key(api_as, moderator, member, hearing):
    assert api_as(member).post(f"{URL}{hearing.pk}/rotate-key/").status_code == 403
    response = api_as(moderator).post(f"{URL}{hearing.pk}/rotate-key/")
    assert response.data["display_key"] != hearing.display_key


# --- screens and replay --------------------------------------------------------------


def test_screen_heartbeat_needs_the_display_key(api_as, anonymous, moderator, member, hearing):
    url = f"{URL}{hearing.pk}/screens/"
    body = {"key": hearing.display_key, "screen": "proyektor-1", "label": "Aula"}
    assert api_as(anonymous).post(url, body, format="json").status_code == 200
    bad = {**body, "key": "salah"}
    assert api_as(anonymous).post(url, bad, format="json").status_code == 403
    assert api_as(member).get(url).status_code == 403
    screens = api_as(moderator).get(url).data
    assert [s["screen"] for s in screens] == ["proyektor-1"]


def test_events_replay_after_a_cursor(api_as, anonymous, moderator, live_hearing):
    services.hearing_advance(actor=moderator, hearing=live_hearing)
    services.screen_set_mode(actor=moderator, hearing=live_hearing, mode="blank")
    client = api_as(anonymous)
    page = client.get(f"{URL}{live_hearing.pk}/events/", {"after": 2, "limit": 1}).data
    assert [e["seq"] for e in page["events"]] == [3]
    assert page["next"] == 3
    assert page["has_more"] is True
    rest = client.get(f"{URL}{live_hearing.pk}/events/", {"after": page["next"]}).data
    assert [e["seq"] for e in rest["events"]] == [4]
    assert rest["has_more"] is False
    assert rest["events"][0]["stream"] == f"hearing:{live_hearing.pk}"
    assert client.get(f"{URL}{live_hearing.pk}/events/", {"after": "x"}).status_code == 400
    assert client.get(f"{URL}{live_hearing.pk}/events/", {"after": -1}).status_code == 400


def test_events_of_a_draft_consultation_need_staff_or_the_display_key(
    api_as, citizen, draft_consultation
):
    hearing = HearingFactory(consultation=draft_consultation)
    url = f"{URL}{hearing.pk}/events/"
    assert api_as(citizen).get(url).status_code == 404
    assert api_as(citizen).get(url, {"key": hearing.display_key}).status_code == 200
    assert api_as(citizen).get(url, {"key": "wrong"}).status_code == 403
    assert api_as(citizen).get(f"{URL}999999/events/").status_code == 404
