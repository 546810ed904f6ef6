"""The changes that publish `forum.changed`, as cases for the Zulip-style reducer test of
tests/realtime/test_event_reducer.py (its `w` world: a hearing with a two-item agenda on
`w.consultation`, the people who take part). Each case turns the consultation into an RPJMD
one with a proposal of Kelurahan Panggungrejo and the kelurahan's official, prepares, and
returns the change; the test checks snapshot + emitted events == fresh snapshot."""

from aspirations import decisions, forum, supports
from aspirations.models import Kelurahan, Stage
from consultations.models import Consultation
from hearings import services as hearing_services
from tests.factories import (
    AspirationFactory,
    CriterionFactory,
    OfficialScopeFactory,
    UserFactory,
)


def forum_world(w):
    """The hearing as a Musrenbang forum: started, one proposal on its agenda."""
    w.consultation.kind = Consultation.Kind.RPJMD
    w.consultation.save(update_fields=["kind"])
    kelurahan = Kelurahan.objects.get(name="Panggungrejo", kecamatan__name="Panggungrejo")
    w.lurah = OfficialScopeFactory(stage=Stage.KELURAHAN, kelurahan=kelurahan).user
    w.proposal = AspirationFactory(consultation=w.consultation, kelurahan=kelurahan)
    w.other_proposal = AspirationFactory(consultation=w.consultation, kelurahan=kelurahan)
    w.citizen = UserFactory(username="warga.forum")
    w.criteria = [CriterionFactory(name="Urgensi"), CriterionFactory(name="Jangkauan")]
    hearing_services.hearing_start(actor=w.moderator, hearing=w.hearing)
    forum.forum_agenda_add(actor=w.lurah, hearing=w.hearing, aspiration=w.proposal)
    w.hearing.refresh_from_db()


def case_put_a_proposal_on_the_agenda(w):
    forum_world(w)
    return lambda: forum.forum_agenda_add(
        actor=w.lurah, hearing=w.hearing, aspiration=w.other_proposal, position=1
    )


def case_take_a_proposal_off_the_agenda(w):
    forum_world(w)
    return lambda: forum.forum_agenda_remove(
        actor=w.lurah, hearing=w.hearing, aspiration=w.proposal
    )


def case_the_chair_moves_a_proposal_on_the_agenda(w):
    """A move changes only the agenda: the forum's proposals keep the order they were put
    on it in, so `agenda.changed` alone keeps every page right."""
    forum_world(w)
    forum.forum_agenda_add(actor=w.lurah, hearing=w.hearing, aspiration=w.other_proposal)
    item = w.proposal.forum_agenda.get().agenda_item
    return lambda: hearing_services.agenda_item_move(actor=w.official, agenda_item=item, position=4)


def case_a_citizen_supports_a_proposal_on_the_agenda(w):
    forum_world(w)
    return lambda: supports.aspiration_support(actor=w.citizen, aspiration=w.proposal)


def case_an_organization_withdraws_its_support(w):
    forum_world(w)
    supports.aspiration_support(actor=w.representative, aspiration=w.proposal)
    return lambda: supports.aspiration_unsupport(actor=w.representative, aspiration=w.proposal)


def case_the_forum_scores_a_proposal(w):
    forum_world(w)
    decisions.aspiration_score(actor=w.lurah, aspiration=w.proposal, scores=[(w.criteria[0], 2)])
    return lambda: decisions.aspiration_score(
        actor=w.lurah, aspiration=w.proposal, scores=[(w.criteria[0], 5), (w.criteria[1], 4)]
    )


def case_the_forum_forwards_a_proposal(w):
    forum_world(w)
    return lambda: decisions.aspiration_decide(
        actor=w.lurah, aspiration=w.proposal, outcome="forwarded"
    )


FORUM_CASES = [
    case_put_a_proposal_on_the_agenda,
    case_take_a_proposal_off_the_agenda,
    case_a_citizen_supports_a_proposal_on_the_agenda,
    case_an_organization_withdraws_its_support,
    case_the_forum_scores_a_proposal,
    case_the_forum_forwards_a_proposal,
]
