"""A hearing scheduled for a consultation reaches every member of a verified organization
(the audiences `lsm` and `public` both cover them) and anyone who commented on it."""

import datetime

import pytest
from django.utils import timezone

from hearings import services as hearing_services
from tests.notifications.conftest import kinds_of

pytestmark = pytest.mark.django_db


def test_a_scheduled_hearing_reaches_members_of_verified_organizations_and_commenters(
    committed,
    official,
    public_consultation,
    member,
    representative,
    other_representative,
    unverified_member,
    citizen,
    post,
):
    post(citizen, public_consultation, section=public_consultation.sections.get())
    committed(
        hearing_services.hearing_create,
        actor=official,
        consultation=public_consultation,
        title="Forum Konsultasi Publik Taman Kota",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        location="Gedung Gradika",
    )
    for user in (member, representative, other_representative, citizen):
        assert kinds_of(user) == ["hearing_scheduled"], user
    assert kinds_of(unverified_member) == []  # a pending organization is not (yet) invited
    assert kinds_of(official) == []
