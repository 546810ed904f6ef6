"""A concluded consultation with something in every table, played through the services."""

from accounts import services as accounts_services
from aspirations.models import Aspiration
from comments import responses as comment_responses
from comments import services as comment_services
from consultations import services as consultation_services
from consultations.models import Consultation
from followups import services as followup_services
from tests.factories import (
    AspirationFactory,
    ConsultationFactory,
    DecisionFactory,
    ItemFactory,
    SectionFactory,
)
from voting import services as voting_services


def concluded(*, official, member, representative, citizen, ballot="open", named=None):
    """Comments by a member (organisation), a citizen (pseudonym) and `named` (who chose to
    show their name), answers, a vote, a proposal with its decision and a follow-up."""
    consultation = ConsultationFactory(
        title="Ranperwal Drainase Perkotaan", ballot=ballot, audience="public"
    )
    pasal = SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    item = ItemFactory(consultation=consultation, title="Rancangan secara keseluruhan", code="")
    by_member = comment_services.comment_create(
        actor=member,
        consultation=consultation,
        section=pasal,
        stance="oppose",
        body='Banjir di Panggungrejo; drainase "perlu" dinormalisasi,\r\nsegera.',
    )
    by_citizen = comment_services.comment_create(
        actor=citizen, consultation=consultation, section=pasal, stance="support", body="Setuju."
    )
    if named is not None:
        accounts_services.public_name_set(actor=named, show=True)
        comment_services.comment_create(
            actor=named, consultation=consultation, stance="neutral", body="Catatan saya."
        )
    voting_services.vote_cast(actor=representative, item=item, choice="for")
    proposal = AspirationFactory(
        consultation=consultation, author=citizen, status=Aspiration.Status.ACCEPTED
    )
    DecisionFactory(aspiration=proposal, outcome="accepted", decided_by=official)
    consultation_services.consultation_close(
        actor=official, consultation=consultation, reason="Uji data terbuka."
    )
    accepted = comment_responses.response_create(
        actor=official, comment=by_member, outcome="accepted", body="Diterima.", publish=True
    )
    comment_responses.response_create(
        actor=official, comment=by_citizen, outcome="noted", body="Dicatat.", publish=True
    )
    followup_services.follow_up_record(
        actor=official,
        consultation=consultation,
        response=accepted,
        status="in_progress",
        progress=40,
        note="Normalisasi saluran tahap pertama.",
    )
    consultation_services.consultation_conclude(actor=official, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CONCLUDED
    return consultation
