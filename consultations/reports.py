"""Reads behind the planner feedback: dashboard, exports, Berita Acara and the final report.

Everything here is a selector (no writes). Tallies and the vote log come from
voting's selectors, imported inside the functions: `consultations` sits below
`voting` in the dependency order (ARCHITECTURE.md §1), and only these feedback
reads need to look up. The secret-ballot rule is voting's, never repeated here.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import django_filters
from django.db.models import Count, Q, QuerySet

from consultations import selectors
from consultations.models import (
    Comment,
    Consultation,
    Item,
    Organization,
    Response,
    Section,
)

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
    """Every item of the consultation with its tally, honouring the secret ballot."""
    items = list(selectors.items_of(consultation))
    return _tallies_for_items(items, user)


def _tallies_for_items(items: list[Item], user) -> list[ItemTally]:
    try:
        from voting import selectors as voting_selectors
    except ImportError:  # voting not built yet: no votes to show
        return [ItemTally(item=item) for item in items]
    result = []
    for item in items:
        tally = voting_selectors.tally_for(item, user)
        result.append(
            ItemTally(
                item=item,
                counts=dict(tally["counts"] or {}),
                total=tally["total"] or 0,
                hidden=bool(tally["hidden"]),
            )
        )
    return result


def vote_totals(tallies: list[ItemTally]) -> dict[str, int] | None:
    """Votes per choice over all items; None when any tally is hidden (secret ballot)."""
    if any(tally.hidden for tally in tallies):
        return None
    totals: Counter = Counter()
    for tally in tallies:
        totals.update(tally.counts)
    return dict(sorted(totals.items()))


def vote_log_visible(consultation: Consultation, user) -> bool:
    """Per-organization votes may be shown: never under a secret ballot."""
    return consultation.ballot != Consultation.Ballot.SECRET


def votes_for_export(consultation: Consultation, user) -> QuerySet | None:
    """Votes with organization and receipt, or None when the ballot hides them."""
    if not vote_log_visible(consultation, user):
        return None
    try:
        from voting import selectors as voting_selectors
    except ImportError:  # voting not built yet: an open ballot with no votes
        return []
    return voting_selectors.votes_with_receipts(consultation, user)


# --- Comments by section and stance ------------------------------------------------------


def stance_counts_by_section(comments: QuerySet[Comment], sections: list[Section]) -> list[dict]:
    """Rows for the section chart: one per section plus "whole draft", counts per stance."""
    counts: dict[int | None, Counter] = defaultdict(Counter)
    rows = comments.values("section_id", "stance").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["section_id"]][row["stance"]] += row["n"]
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
        row["bars"] = [
            {"stance": stance, "n": n, "percent": round(100 * n / peak, 1)}
            for stance, n in row["counts"].items()
        ]
    return result


def stance_totals(comments: QuerySet[Comment]) -> dict[str, int]:
    rows = comments.values("stance").annotate(n=Count("id")).order_by()
    found = {row["stance"]: row["n"] for row in rows}
    return {stance: found.get(stance, 0) for stance in STANCES}


# --- Participation ----------------------------------------------------------------------


def eligible_organizations() -> QuerySet[Organization]:
    """Organizations that may take part with a vote: the verified ones."""
    return Organization.objects.filter(status=Organization.Status.VERIFIED).order_by("name")


def participating_organization_ids(consultation: Consultation) -> set[int]:
    """Organizations with a published comment or a vote in this consultation."""
    commented = set(
        Comment.objects.filter(
            consultation=consultation,
            status=Comment.Status.PUBLISHED,
            organization__isnull=False,
        )
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return commented | _voting_organization_ids(consultation)


def _voting_organization_ids(consultation: Consultation) -> set[int]:
    try:
        from voting.models import Vote
    except ImportError:
        return set()
    return set(
        Vote.objects.filter(item__consultation=consultation)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def participation(consultation: Consultation) -> dict:
    eligible = list(eligible_organizations())
    taking_part = participating_organization_ids(consultation)
    active = [org for org in eligible if org.pk in taking_part]
    absent = [org for org in eligible if org.pk not in taking_part]
    return {
        "eligible": len(eligible),
        "participating": len(active),
        "percent": round(100 * len(active) / len(eligible), 1) if eligible else 0.0,
        "absent": absent,
        "commented": Comment.objects.filter(
            consultation=consultation,
            status=Comment.Status.PUBLISHED,
            organization__status=Organization.Status.VERIFIED,
        )
        .values("organization_id")
        .distinct()
        .count(),
        "voted": len(_voting_organization_ids(consultation) & {org.pk for org in eligible}),
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
        .select_related("section", "organization", "author")
        .order_by("created_at", "id")
    )


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    """What the public and planners count: published, not removed by the author."""
    return Comment.objects.filter(
        consultation=consultation, status=Comment.Status.PUBLISHED, is_removed=False
    )


# --- The comments an export or dashboard counts --------------------------------------------


def comments_for_export(*, user, consultation: Consultation, statuses, params) -> QuerySet:
    """The consultation's comments in `statuses`, narrowed by the comments API's filters."""
    base = Comment.objects.filter(
        consultation=consultation, status__in=list(statuses), is_removed=False
    )
    filterset = ExportCommentFilter(params, queryset=base)
    if not filterset.is_valid():
        from backend.errors import Invalid

        first = next(iter(filterset.errors.items()))
        raise Invalid(str(first[1][0]), field=first[0])
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
    voted = _voting_organization_ids(consultation)
    organizations = Organization.objects.filter(
        Q(status=Organization.Status.VERIFIED) | Q(pk__in=set(per_org) | voted)
    ).order_by("name")
    return [
        {"organization": org, "comments": per_org.get(org.pk, 0), "voted": org.pk in voted}
        for org in organizations
    ]


class ExportCommentFilter(django_filters.FilterSet):
    """Provisional: replaced by the comments API's FilterSet once it lands (one rule)."""

    q = django_filters.CharFilter(method="search", label="Search")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = Comment
        fields = ["section", "item", "stance", "organization", "hearing"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        return queryset.filter(body__icontains=value) if value else queryset
