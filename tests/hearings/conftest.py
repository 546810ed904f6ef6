"""Hearing tests use the WebSocket helpers of tests/realtime too."""

import datetime

import pytest

from backend.words import WIB
from hearings import invitations
from tests.factories import AgencyFactory, AgendaItemFactory, HearingFactory
from tests.realtime.conftest import fresh_relays  # noqa: F401 - fixture shared with this folder

# --- undangan (tests/hearings/test_invitations_*.py) -------------------------------------------


@pytest.fixture
def monday_hearing(open_consultation):
    """A hearing of Bappeda on Monday 7 December 2026 at 09.00 WIB, with a two-item agenda."""
    open_consultation.agency = AgencyFactory(
        name="Badan Perencanaan Pembangunan Daerah", acronym="Bappeda"
    )
    open_consultation.save(update_fields=["agency"])
    hearing = HearingFactory(
        consultation=open_consultation,
        title="Forum Konsultasi Publik Ranperwal RTH",
        starts_at=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=WIB),
        location="Gedung Gradika, Kota Pasuruan",
    )
    AgendaItemFactory(hearing=hearing, position=1, title="Pembukaan")
    AgendaItemFactory(hearing=hearing, position=2, title="Pembahasan Pasal 1 sampai 3")
    return hearing


@pytest.fixture
def invitation(official, monday_hearing, organization, representative):
    """Pelita invited to the Monday hearing by Alice (the e-mail job not run)."""
    return invitations.hearing_invite(
        actor=official, hearing=monday_hearing, organizations=[organization]
    )[0]
