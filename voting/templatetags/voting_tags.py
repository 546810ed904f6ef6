"""Template tags that put voting on other apps' pages without N+1 queries.

`{% item_vote item %}` renders voting/_item_vote.html for one item of a
consultation page; the first call per consultation and request loads the whole
panel (tallies, own votes, live windows) in a few queries.
`{% organization_votes organization %}` lists an organization's votes and receipts.
`{% vote_chain consultation %}` publishes the audit chain's head (one primary-key row).
"""

from collections import defaultdict

from django import template

from consultations.models import Choice, Consultation, Item
from hearings.models import Hearing
from voting import payloads, permissions, selectors
from voting.models import Vote

register = template.Library()

# The outcome of the last vote form sent (voting.views.vote_submit), kept in the session until
# that item's panel shows it: {"item": id, "choice" | "withdrawn" | "error", "receipt"}.
VOTE_OUTCOME_KEY = "voting_last_outcome"
RECEIPT_SHORT = 10


@register.filter
def short_receipt(receipt: str) -> str:
    """The first ten characters of a receipt, in two groups: `3F2A1-9C0B7`. Enough to tell
    one's receipts apart and to read out; the check page takes the whole receipt."""
    head = (receipt or "")[:RECEIPT_SHORT].upper()
    half = len(head) // 2
    return f"{head[:half]}-{head[half:]}" if half else head


def _outcome_for(request, item: Item) -> dict | None:
    session = getattr(request, "session", None)
    outcome = session.get(VOTE_OUTCOME_KEY) if session is not None else None
    if not isinstance(outcome, dict) or outcome.get("item") != item.pk:
        return None
    del session[VOTE_OUTCOME_KEY]
    if outcome.get("choice"):
        outcome["choice_label"] = dict(Choice.choices).get(outcome["choice"], outcome["choice"])
    return outcome


def _panel(request, consultation: Consultation) -> dict:
    cache = request.__dict__.setdefault("_voting_panels", {})
    if consultation.pk in cache:
        return cache[consultation.pk]
    user = request.user
    membership = permissions.membership_with_organization(user)
    organization = membership.organization if membership else None
    tallies, head = selectors.tallies_and_head(consultation)
    votes = {}
    if organization is not None:
        votes = {
            v.item_id: v
            for v in Vote.objects.filter(organization=organization, item__consultation=consultation)
        }
    windows = defaultdict(list)
    for hearing in Hearing.objects.filter(
        voting_item__consultation=consultation, status=Hearing.Status.LIVE
    ):
        windows[hearing.voting_item_id].append(hearing)
    participants = None
    if consultation.voting_method == Consultation.VotingMethod.APPROVAL:
        # Approval shares are of the organizations taking part, not of one item's votes.
        participants = (
            Vote.objects.filter(item__consultation=consultation)
            .values("organization")
            .distinct()
            .count()
        )
    panel = {
        "head": head,
        "participants": participants,
        "organization": organization,
        "is_representative": bool(membership and membership.is_representative),
        "tallies": tallies,
        "votes": votes,
        "windows": windows,
        "choices_used": len(votes),
    }
    cache[consultation.pk] = panel
    return panel


def _rows(tally: dict, participants: int | None) -> list[dict]:
    total = (participants if participants is not None else tally["total"]) or 0
    labels = dict(Choice.choices)
    return [
        {
            "choice": choice,
            "label": labels[choice],
            "count": count,
            "percent": round(100 * count / total, 1) if total else 0.0,
        }
        for choice, count in tally["counts"].items()
    ]


@register.inclusion_tag("voting/_item_vote.html", takes_context=True)
def item_vote(context, item: Item):
    request = context["request"]
    consultation = item.consultation
    panel = _panel(request, consultation)
    item._voting_windows = panel["windows"].get(item.pk, [])
    tally = payloads.tally(item, panel["tallies"].get(item.pk), head=panel["head"])
    vote = panel["votes"].get(item.pk)
    denial = permissions.vote_denial(request.user, item) if panel["is_representative"] else None
    labels = dict(Choice.choices)
    is_approval = consultation.voting_method == Consultation.VotingMethod.APPROVAL
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "outcome": _outcome_for(request, item),
        "item": item,
        "tally": tally,
        "rows": [] if tally["hidden"] else _rows(tally, panel["participants"]),
        "participants": panel["participants"],
        "vote": vote,
        "organization": panel["organization"],
        "is_representative": panel["is_representative"],
        "denial": denial,
        "choices": [(c, labels[c]) for c in consultation.vote_choices()],
        "is_approval": is_approval,
        "choices_used": panel["choices_used"],
        "max_choices": consultation.max_choices,
        "limit_reached": is_approval and panel["choices_used"] >= consultation.max_choices,
        "voting_open": selectors.voting_is_open(consultation),
    }


@register.inclusion_tag("voting/_organization_votes.html", takes_context=True)
def organization_votes(context, organization):
    request = context["request"]
    own = permissions.can_see_organization_votes(request.user, organization)
    return {
        "organization": organization,
        "own": own,
        "votes": list(selectors.organization_votes(organization, own=own)[:200]),
    }


@register.inclusion_tag("voting/_vote_chain.html", takes_context=True)
def vote_chain(context, consultation: Consultation):
    """The chain head anyone can write down, with the links to check it (the vote panels'
    head when they were drawn on the page, else one primary-key row)."""
    request = context.get("request")
    panels = getattr(request, "_voting_panels", {}) if request is not None else {}
    head = panels[consultation.pk]["head"] if consultation.pk in panels else None
    return {
        "consultation": consultation,
        "chain": payloads.chain(head or payloads.head_of(consultation.pk)),
        "sealed": selectors.log_sealed(consultation),
    }
