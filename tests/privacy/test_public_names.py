import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.names import pseudonym, public_name
from accounts.services import public_name_set
from comments import payloads
from comments import services as comment_services
from realtime import live
from realtime.models import StreamEvent
from reports import minutes
from tests.factories import (
    AgendaItemFactory,
    CommentFactory,
    HearingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    return UserFactory(username="warga", first_name="Siti Aminah")


@pytest.fixture
def named_citizen(db):
    return UserFactory(username="wargaterbuka", first_name="Joko Susilo", privacy__show_name=True)


def test_the_pseudonym_is_stable_and_does_not_reveal_the_name(citizen):
    assert public_name(citizen) == pseudonym(citizen.pk)
    assert public_name(citizen).startswith("Warga-") and len(public_name(citizen)) == 12
    assert pseudonym(citizen.pk) == pseudonym(citizen.pk) != pseudonym(citizen.pk + 1)
    # The suffix is six hex digits of an HMAC: it may contain the id's digits by chance, but
    # it is never the id itself, and the name never shows.
    assert "Siti" not in public_name(citizen)
    assert public_name(citizen) != f"Warga-{citizen.pk}"
    assert re.fullmatch(r"Warga-[0-9A-F]{6}", public_name(citizen))


def test_a_person_who_opted_in_shows_by_name(named_citizen):
    assert public_name(named_citizen) == "Joko Susilo"


def test_comment_pages_show_the_pseudonym_unless_the_person_opted_in(
    client, citizen, named_citizen, open_consultation
):
    CommentFactory(consultation=open_consultation, author=citizen, body="Taman kurang.")
    CommentFactory(consultation=open_consultation, author=named_citizen, body="Setuju.")
    page = client.get(reverse("consultation-comments", args=[open_consultation.pk]))
    text = page.content.decode()
    assert pseudonym(citizen.pk) in text and "Siti Aminah" not in text
    assert "Joko Susilo" in text


def test_the_live_feed_payload_carries_the_public_name(citizen, open_consultation):
    open_consultation.audience = "public"
    open_consultation.save(update_fields=["audience"])
    comment = comment_services.comment_create(
        actor=citizen, consultation=open_consultation, stance="support", body="Perlu jalur sepeda."
    )
    assert payloads.comment(comment)["author_name"] == pseudonym(citizen.pk)
    events = StreamEvent.objects.filter(type__startswith="comment.")
    assert events and all(e.data.get("author_name") != "Siti Aminah" for e in events)
    assert any(e.data.get("author_name") == pseudonym(citizen.pk) for e in events)


def test_the_live_hearing_state_shows_the_pseudonym_and_costs_no_query_per_author(
    citizen, named_citizen, open_consultation
):
    hearing = HearingFactory(consultation=open_consultation, status="live")
    CommentFactory(consultation=open_consultation, hearing=hearing, author=named_citizen)
    CommentFactory(consultation=open_consultation, hearing=hearing, author=citizen)

    def state():
        with CaptureQueriesContext(connection) as queries:
            data = live.hearing_state(hearing, moderator=False, seq=None)
        return data, len(queries)

    data, two_authors = state()
    assert [c["author_name"] for c in data["comments"]] == [
        "Joko Susilo",
        pseudonym(citizen.pk),
    ]
    for n in range(5):
        author = UserFactory(username=f"w{n}")
        CommentFactory(consultation=open_consultation, hearing=hearing, author=author)
    data, seven_authors = state()
    assert seven_authors == two_authors
    assert all(c["author_name"].startswith("Warga-") for c in data["comments"][2:])


def test_the_csv_export_follows_the_same_choice_as_the_pages(
    api_as, planner, citizen, named_citizen, open_consultation
):
    CommentFactory(consultation=open_consultation, author=citizen)
    CommentFactory(consultation=open_consultation, author=named_citizen)
    body = api_as(planner).get(f"/api/v1/consultations/{open_consultation.pk}/export.csv")
    text = b"".join(body.streaming_content).decode("utf-8-sig")
    assert pseudonym(citizen.pk) in text and "Siti Aminah" not in text
    assert "Joko Susilo" in text


def test_the_berita_acara_names_citizens_and_representatives_by_their_public_name(
    official, citizen, open_consultation, organization
):
    hearing = HearingFactory(
        consultation=open_consultation,
        starts_at=datetime.datetime(2026, 1, 5, 2, 0, tzinfo=datetime.UTC),
    )
    AgendaItemFactory(hearing=hearing, title="Tanya jawab", position=1)
    CommentFactory(consultation=open_consultation, author=citizen, hearing=hearing)
    rep = UserFactory(username="ketua", first_name="Bambang Ketua")
    MembershipFactory(user=rep, organization=organization, role="representative")
    hearing.attendances.create(organization=organization, method="officer")
    built = minutes.build(hearing=hearing, user=official)
    # A citizen's point carries no name at all; the signature line the public name.
    points = [p["organization"] for s in built.agenda for p in s.main_points]
    assert points == [""]
    assert [r["name"] for r in built.representatives] == [pseudonym(rep.pk)]
    rep_shown = UserFactory(username="ketua2", first_name="Rahma Terbuka", privacy__show_name=True)
    Membership.objects.filter(user=rep).update(user=rep_shown)
    built = minutes.build(hearing=hearing, user=official)
    assert [r["name"] for r in built.representatives] == ["Rahma Terbuka"]


def test_hiding_the_name_rewrites_it_in_the_stored_event_log_for_replays(
    named_citizen, open_consultation
):
    open_consultation.audience = "public"
    open_consultation.save(update_fields=["audience"])
    comment_services.comment_create(
        actor=named_citizen, consultation=open_consultation, stance="support", body="Setuju."
    )
    names_in_log = lambda: {  # noqa: E731
        e.data.get("author_name") for e in StreamEvent.objects.filter(type="comment.published")
    }
    assert names_in_log() == {"Joko Susilo"}
    public_name_set(actor=named_citizen, show=False)
    assert names_in_log() == {pseudonym(named_citizen.pk)}
