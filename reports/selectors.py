"""Reads behind the planner feedback: dashboard, exports, Berita Acara and the final report.

Everything here is a selector (no writes). Tallies and the vote log come from
voting's selectors, imported inside the functions: `consultations` sits below
`voting` in the dependency order (ARCHITECTURE.md §1), and only these feedback
reads need to look up. The secret-ballot rule is voting's, never repeated here.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from accounts.models import Organization
from backend.errors import Invalid
from comments import selectors
from comments.filters import CommentFilter
from comments.models import Comment, Response
from consultations import selectors as consultations_selectors
from consultations.models import Consultation, Item, Section
from voting import payloads as voting_payloads
from voting import selectors as voting_selectors
from voting.models import Vote

STANCES = [choice for choice, _label in Comment.Stance.choices]
OUTCOMES = [choice for choice, _label in Response.Outcome.choices]


@dataclass
class ItemTally:
    """One item's vote counts as a reader may see them; `hidden` under a running secret ballot."""

    item: Item
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    hidden: bool = False

    def as_dict(self) -> dict:
        return {
            "item": self.item.pk,
            "counts": None if self.hidden else dict(self.counts),
            "total": None if self.hidden else self.total,
            "hidden": self.hidden,
        }


# --- Tallies and votes (voting's rules) --------------------------------------------------


def item_tallies(consultation: Consultation, user) -> list[ItemTally]:
    """Every item of the consultation with its tally (one query), honouring the secret ballot."""

    result = []
    head = voting_payloads.head_of(consultation.pk)  # read once, not per item
    for item in voting_selectors.items_with_tallies(consultation):
        item.consultation = consultation
        row = voting_payloads.tally(item, _tally_row(item), head=head)
        result.append(_item_tally(item, row))
    return result


def _tally_row(item):
    try:
        return item.tally
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: no vote yet
        return None


def _item_tally(item: Item, data: dict) -> ItemTally:
    return ItemTally(
        item=item,
        counts=dict(data["counts"] or {}),
        total=data["total"] or 0,
        hidden=bool(data["hidden"]),
    )


def _tallies_for_items(items: list[Item], user) -> list[ItemTally]:

    return [_item_tally(item, voting_payloads.tally_of(item)) for item in items]


def vote_totals(tallies: list[ItemTally]) -> dict[str, int] | None:
    """Votes per choice over all items; None when any tally is hidden (secret ballot)."""
    if any(tally.hidden for tally in tallies):
        return None
    totals: Counter = Counter()
    for tally in tallies:
        totals.update(tally.counts)
    return dict(sorted(totals.items()))


def tallies_hidden(consultation: Consultation) -> bool:

    return not voting_selectors.tally_visible(consultation)


def votes_for_export(consultation: Consultation, user) -> list[dict] | None:
    """Each organization's vote with its receipt; None when the ballot keeps choices secret."""

    if not voting_selectors.choices_public(consultation):
        return None
    return list(
        Vote.objects.filter(item__consultation=consultation)
        .order_by("item__position", "item_id", "organization__name")
        .values("item_id", "choice", "cast_at", "updated_at", "receipt")
        .annotate(organization_name=F("organization__name"))
    )


def vote_log(consultation: Consultation) -> Iterator[dict]:
    """The published audit chain, sealed or pseudonymous as voting's rule says."""

    for record in voting_selectors.vote_log(consultation).iterator(chunk_size=2000):
        yield voting_selectors.log_entry(record, consultation)


# --- Comments by section and stance ------------------------------------------------------


def stance_counts_by_section(
    comments: QuerySet[Comment], sections: list[Section], *, lineage: dict[int, int] | None = None
) -> list[dict]:
    """Rows for the section chart: one per section plus "whole draft", counts per stance.

    `lineage` (section_lineage) counts a comment on another version of a section under the
    listed one; without it such comments get rows of their own."""
    lineage = lineage or {}
    counts: dict[int | None, Counter] = defaultdict(Counter)
    rows = comments.values("section_id", "stance").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[lineage.get(row["section_id"], row["section_id"])][row["stance"]] += row["n"]
    result = []
    for section in [None, *sections]:
        key = section.pk if section else None
        by_stance = {stance: counts[key].get(stance, 0) for stance in STANCES}
        total = sum(by_stance.values())
        if section is None and not total:
            continue
        result.append({"section": section, "counts": by_stance, "total": total})
    # Comments on sections of older versions still count, under their own heading.
    known = {s.pk for s in sections} | {None}
    stray = [key for key in counts if key not in known]
    if stray:
        for section in Section.objects.filter(pk__in=stray).order_by("version", "position"):
            by_stance = {stance: counts[section.pk].get(stance, 0) for stance in STANCES}
            result.append(
                {"section": section, "counts": by_stance, "total": sum(by_stance.values())}
            )
    peak = max((row["total"] for row in result), default=0) or 1
    for row in result:
        offset = 0.0
        row["bars"] = []
        for stance, n in row["counts"].items():
            width = round(100 * n / peak, 1)
            row["bars"].append(
                {
                    "stance": stance,
                    "label": Comment.Stance(stance).label,
                    "n": n,
                    "percent": width,
                    "offset": offset,
                }
            )
            offset = round(offset + width, 1)
    return result


def stance_totals(comments: QuerySet[Comment]) -> dict[str, int]:
    rows = comments.values("stance").annotate(n=Count("id")).order_by()
    found = {row["stance"]: row["n"] for row in rows}
    return {stance: found.get(stance, 0) for stance in STANCES}


# --- Participation ----------------------------------------------------------------------


def eligible_organizations() -> QuerySet[Organization]:
    """Organizations that may take part with a vote: the verified ones."""
    return Organization.objects.filter(status=Organization.Status.VERIFIED).order_by("name")


def _commenting_organization_ids(consultation: Consultation) -> set[int]:
    return set(
        published_comments(consultation)
        .filter(organization__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def _voting_organization_ids(consultation: Consultation) -> set[int]:

    return set(
        Vote.objects.filter(item__consultation=consultation)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def participation(consultation: Consultation) -> dict:
    """Verified organizations that commented or voted, of all verified ones.

    While a secret ballot hides the tally, who voted is not counted either (it
    would give the running total away): participation then counts comments only.
    """
    eligible = list(eligible_organizations())
    eligible_ids = {org.pk for org in eligible}
    commented = _commenting_organization_ids(consultation) & eligible_ids
    hidden = tallies_hidden(consultation)
    voted = set() if hidden else _voting_organization_ids(consultation) & eligible_ids
    taking_part = commented | voted
    return {
        "eligible": len(eligible),
        "participating": len(taking_part),
        "percent": round(100 * len(taking_part) / len(eligible), 1) if eligible else 0.0,
        "absent": [org for org in eligible if org.pk not in taking_part],
        "commented": len(commented),
        "voted": None if hidden else len(voted),
    }


# --- Responses (Tanggapan) ----------------------------------------------------------------


def response_matrix(
    consultation: Consultation,
    comments: QuerySet[Comment],
    sections: list[Section],
    *,
    published_only: bool = False,
) -> list[dict]:
    """Per section: comments, answers by outcome and how many still wait for an answer."""
    answered = comments.filter(response__isnull=False)
    if published_only:
        answered = answered.filter(response__published_at__isnull=False)
    outcome_rows = answered.values("section_id", "response__outcome").annotate(n=Count("id"))
    by_section: dict[int | None, Counter] = defaultdict(Counter)
    for row in outcome_rows.order_by():
        by_section[row["section_id"]][row["response__outcome"]] += row["n"]
    totals = dict(
        comments.values("section_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("section_id", "n")
    )
    section_answers = Response.objects.filter(consultation=consultation, comment__isnull=True)
    if published_only:
        section_answers = section_answers.filter(published_at__isnull=False)
    section_answers_by_id: dict[int, list[Response]] = defaultdict(list)
    for answer in section_answers.order_by("created_at", "id"):
        section_answers_by_id[answer.section_id].append(answer)
    result = []
    for section in [None, *sections]:
        key = section.pk if section else None
        total = totals.get(key, 0)
        if section is None and not total:
            continue
        outcomes = {outcome: by_section[key].get(outcome, 0) for outcome in OUTCOMES}
        answered_n = sum(outcomes.values())
        result.append(
            {
                "section": section,
                "comments": total,
                "outcomes": outcomes,
                "answered": answered_n,
                "missing": total - answered_n,
                "section_responses": section_answers_by_id.get(key, []) if key else [],
            }
        )
    return result


def comments_missing_response(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """Published top-level comments nobody has answered yet, oldest first."""
    return (
        comments.filter(response__isnull=True, parent__isnull=True)
        .select_related("section", "organization", "author", "author__privacy")
        .order_by("created_at", "id")
    )


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    """What the public sees and everyone counts (the comments rule for an anonymous reader)."""
    return selectors.comments_visible_to(
        AnonymousUser(), Comment.objects.filter(consultation=consultation, is_removed=False)
    )


# --- The comments an export or dashboard counts --------------------------------------------


def comments_for_export(
    *, user, consultation: Consultation, statuses, params, request=None
) -> QuerySet:
    """The comments API's answer for the same query, limited to `statuses`.

    One rule: `selectors.comments_visible_to` (who may see what) and the API's
    `CommentFilter` (what was asked for); exports only add the status limit, so
    hidden and pending comments appear only when a moderator asks for them.
    """

    base = selectors.comments_visible_to(
        user, Comment.objects.filter(consultation=consultation, is_removed=False)
    ).filter(status__in=list(statuses))
    filterset = CommentFilter(params, queryset=base, request=request)
    if not filterset.is_valid():
        name, errors = next(iter(filterset.errors.items()))
        raise Invalid(str(errors[0]), field=name)
    return filterset.qs


def organization_rows(consultation: Consultation, comments: QuerySet[Comment]) -> list[dict]:
    """Every organization that is verified or took part: its comments here and whether it voted."""
    per_org = dict(
        comments.filter(organization__isnull=False)
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("organization_id", "n")
    )
    hidden = tallies_hidden(consultation)
    voted = set() if hidden else _voting_organization_ids(consultation)
    organizations = Organization.objects.filter(
        Q(status=Organization.Status.VERIFIED) | Q(pk__in=set(per_org) | voted)
    ).order_by("name")
    return [
        {
            "organization": org,
            "comments": per_org.get(org.pk, 0),
            "voted": None if hidden else org.pk in voted,
        }
        for org in organizations
    ]


# --- Final report ------------------------------------------------------------------------------


def consulted_sections(consultation: Consultation, final_sections: list[Section]) -> list[Section]:
    """The sections the public read and commented on: the version the final one replaced."""
    previous_ids = {s.previous_id for s in final_sections if s.previous_id}
    if not previous_ids:
        return final_sections
    version_id = (
        Section.objects.filter(pk__in=previous_ids).values_list("version_id", flat=True).first()
    )
    return list(Section.objects.filter(version_id=version_id).order_by("position", "id"))


def section_lineage(consultation: Consultation, sections: list[Section]) -> dict[int, int]:
    """Every section of the consultation, in any version, → the one of `sections` it is a
    version of (following `previous` back, then forward); sections with no counterpart
    (new or removed in between) are left out.

    A consultation's text may get a new version while it is open: comments on Pasal 3 of
    version 2 and of version 1 are about one Pasal 3, and the final report lists it once."""
    listed = {section.pk for section in sections}
    earlier = dict(
        Section.objects.filter(consultation=consultation).values_list("pk", "previous_id")
    )
    later = {previous: pk for pk, previous in earlier.items() if previous is not None}
    lineage = {}
    for pk in earlier:
        for step in (earlier, later):
            found = pk
            while found is not None and found not in listed:
                found = step.get(found)
            if found is not None:
                lineage[pk] = found
                break
    return lineage


def you_said_we_did(
    consultation: Consultation, comments: QuerySet[Comment], sections: list[Section]
) -> list[dict]:
    """Per section: what was said (stances) and the published answers to it, each section
    once, whichever version of it was commented on (section_lineage)."""
    lineage = section_lineage(consultation, sections)
    stance_rows = {
        (row["section"].pk if row["section"] else None): row
        for row in stance_counts_by_section(comments, sections, lineage=lineage)
    }
    answered: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in (
        comments.filter(response__published_at__isnull=False)
        .select_related("response", "organization")
        .order_by("created_at", "id")
    ):
        answered[lineage.get(comment.section_id, comment.section_id)].append(comment)
    section_answers: dict[int, list[Response]] = defaultdict(list)
    for answer in Response.objects.filter(
        consultation=consultation, comment__isnull=True, published_at__isnull=False
    ).order_by("created_at", "id"):
        section_answers[lineage.get(answer.section_id, answer.section_id)].append(answer)
    result = []
    for key, row in stance_rows.items():
        result.append(
            {
                "section": row["section"],
                "counts": row["counts"],
                "bars": row["bars"],
                "total": row["total"],
                "answered": answered.get(key, []),
                "unanswered": row["total"] - len(answered.get(key, [])),
                "section_responses": section_answers.get(key, []) if key else [],
            }
        )
    return result


def version_changes(final_sections: list[Section], consulted: list[Section]) -> list[dict]:
    """What changed from the consulted version to the final one, section by section."""
    if [s.pk for s in final_sections] == [s.pk for s in consulted]:
        return []
    changes = []
    kept = set()
    for section in final_sections:
        if section.previous_id is None:
            changes.append({"kind": "new", "section": section, "ops": []})
            continue
        kept.add(section.previous_id)
        ops = consultations_selectors.section_changes(section)
        changed = any(op != "equal" for op, _text in ops) or (
            section.heading != section.previous.heading or section.number != section.previous.number
        )
        changes.append(
            {
                "kind": "changed" if changed else "unchanged",
                "section": section,
                "previous": section.previous,
                "ops": ops,
            }
        )
    for section in consulted:
        if section.pk not in kept:
            changes.append({"kind": "removed", "section": section, "ops": []})
    return changes
