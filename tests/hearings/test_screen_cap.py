"""Big screens per hearing are capped: a leaked display key cannot register screens without
end. Known screens keep reporting at the cap; one that stops reporting frees its place."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hearings import services
from tests.factories import HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    return HearingFactory(consultation=open_consultation)


def beat(client, hearing, screen: str):
    return client.post(
        f"/api/v1/hearings/{hearing.pk}/screens/",
        {"key": hearing.display_key, "screen": screen, "label": "Aula"},
        format="json",
    )


def test_an_eleventh_screen_is_refused_with_a_clear_conflict(api_as, anonymous, moderator, hearing):
    client = api_as(anonymous)
    for n in range(10):
        assert beat(client, hearing, f"layar-{n}").status_code == 200
    refused = beat(client, hearing, "layar-10")
    assert refused.status_code == 409
    assert refused.data["code"] == "conflict"
    assert refused.data["detail"].startswith("Rapat ini sudah terhubung dengan 10 layar.")
    listed = api_as(moderator).get(f"/api/v1/hearings/{hearing.pk}/screens/").data
    assert sorted(s["screen"] for s in listed) == sorted(f"layar-{n}" for n in range(10))


def test_screens_already_listed_keep_reporting_at_the_cap(api_as, anonymous, hearing):
    client = api_as(anonymous)
    for n in range(10):
        beat(client, hearing, f"layar-{n}")
    assert beat(client, hearing, "layar-3").status_code == 200


def test_a_screen_that_stopped_reporting_frees_its_place(api_as, anonymous, hearing, monkeypatch):
    client = api_as(anonymous)
    for n in range(10):
        beat(client, hearing, f"layar-{n}")
    later = timezone.now() + datetime.timedelta(minutes=6)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: later))
    assert beat(client, hearing, "layar-baru").status_code == 200


def test_the_cap_is_a_setting(api_as, anonymous, hearing, settings):
    settings.RUANG = {**settings.RUANG, "SCREENS_PER_HEARING": 2}
    client = api_as(anonymous)
    assert beat(client, hearing, "a").status_code == 200
    assert beat(client, hearing, "b").status_code == 200
    assert beat(client, hearing, "c").status_code == 409


def test_each_hearing_has_its_own_cap(api_as, anonymous, hearing, open_consultation, settings):
    settings.RUANG = {**settings.RUANG, "SCREENS_PER_HEARING": 1}
    other = HearingFactory(consultation=open_consultation)
    client = api_as(anonymous)
    assert beat(client, hearing, "layar").status_code == 200
    assert beat(client, other, "layar").status_code == 200
