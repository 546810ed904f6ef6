"""A proposal on a forum hearing's agenda, on the wire: one builder, one shape everywhere.

`proposal` is the REST answer of the forum agenda endpoints (aspirations/api.py), each entry
of the `forum.changed` event's data (aspirations/forum.py) and of the hearing snapshot's
`forum` part (realtime/live.py); the live pages' reducer sets `state.forum` from it as it is.
"""

from django.urls import reverse

from aspirations import selectors

SCORE = ("criterion", "name", "value")
PROPOSAL = (
    "id",
    "agenda_item",
    "title",
    "kelurahan",
    "kecamatan",
    "estimated_cost",
    "stage",
    "status",
    "supports",
    "scores",
    "score_total",
    "url",
)
FORUM = ("hearing", "proposals")

# Event `data` per type (docs/REALTIME.md's table is checked against these).
EVENT_DATA = {"forum.changed": FORUM}


def score(score) -> dict:
    return {"criterion": score.criterion_id, "name": score.criterion.name, "value": score.value}


def proposal(link, scores=None) -> dict:
    """A proposal as the big screen shows it: where, how much, who backs it, and the forum's
    scores per criterion at the stage it is on the agenda for (`link` is a ForumProposal)."""
    aspiration = link.aspiration
    if scores is None:
        scores = selectors.forum_scores([link])[link.pk]
    return {
        "id": aspiration.pk,
        "agenda_item": link.agenda_item_id,
        "title": aspiration.title,
        "kelurahan": aspiration.kelurahan.name,
        "kecamatan": aspiration.kecamatan.name,
        "estimated_cost": f"{aspiration.estimated_cost:.2f}",
        "stage": link.stage,
        "status": aspiration.status,
        "supports": {
            "organizations": aspiration.support_organizations,
            "citizens": aspiration.support_citizens,
        },
        "scores": [score(s) for s in scores],
        "score_total": sum(s.value for s in scores),
        "url": reverse("aspiration-page", args=[aspiration.pk]),
    }


def forum(hearing) -> dict:
    """Every proposal on the hearing's agenda, in agenda order (two queries)."""
    links = list(selectors.forum_proposals_of(hearing))
    scores = selectors.forum_scores(links)
    return {"hearing": hearing.pk, "proposals": [proposal(link, scores[link.pk]) for link in links]}
