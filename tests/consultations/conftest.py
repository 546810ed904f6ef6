"""Fixtures for the comment, moderation and response tests (issue 3)."""

import pytest

from consultations import services
from consultations.models import Comment, Consultation
from tests.factories import ConsultationFactory, HearingFactory, SectionFactory


@pytest.fixture
def pasal_1(open_consultation):
    return open_consultation.sections.get(number="Pasal 1")


@pytest.fixture
def pasal_3(open_consultation):
    return open_consultation.sections.get(number="Pasal 3")


@pytest.fixture
def pre_consultation(db):
    """The RPJMD consultation: every comment waits for a moderator."""
    consultation = ConsultationFactory(
        title="Rancangan Awal RPJMD", kind="rpjmd", moderation=Consultation.Moderation.PRE
    )
    SectionFactory(consultation=consultation, number="Bab I", heading="Pendahuluan")
    return consultation


@pytest.fixture
def public_consultation(db):
    consultation = ConsultationFactory(
        title="Rencana Taman Kota", audience=Consultation.Audience.PUBLIC
    )
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    return consultation


@pytest.fixture
def closed_consultation(db):
    consultation = ConsultationFactory(title="Ranperwal Parkir", status=Consultation.Status.CLOSED)
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    return consultation


@pytest.fixture
def live_hearing(closed_consultation):
    return HearingFactory(consultation=closed_consultation, status="live")


@pytest.fixture
def post():
    """post(actor, consultation, **fields) -> a comment made through the service."""

    def make(actor, consultation, *, stance="support", body=None, **fields):
        make.n += 1
        return services.comment_create(
            actor=actor,
            consultation=consultation,
            stance=stance,
            body=body or f"Masukan ke-{make.n}: mohon ketentuan ini diperjelas.",
            **fields,
        )

    make.n = 0
    return make


@pytest.fixture
def published_comment(open_consultation, pasal_1, member):
    return services.comment_create(
        actor=member,
        consultation=open_consultation,
        section=pasal_1,
        stance=Comment.Stance.OPPOSE,
        body="Pasal 1 terlalu umum; definisi 'warga' perlu diperjelas.",
    )


@pytest.fixture
def pending_comment(pre_consultation, member):
    return services.comment_create(
        actor=member,
        consultation=pre_consultation,
        section=pre_consultation.sections.get(),
        stance=Comment.Stance.QUESTION,
        body="Berapa target indikator kemiskinan pada tahun 2027?",
    )


@pytest.fixture
def generous_limits(settings):
    settings.RUANG = {
        **settings.RUANG,
        "COMMENT_RATE_PER_MINUTE": 10_000,
        "COMMENT_RATE_PER_HOUR": 10_000,
    }
