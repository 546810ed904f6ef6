"""Reads of proposals: the public list, a proposal's page and timeline, the triage queue,
the ranking of a stage, "Usulan saya", the proposals a programme carries, the totals of the
final report. Each answers in a constant number of queries, whatever the number of rows."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from aspirations import permissions
from aspirations.models import (
    Aspiration,
    AspirationVersion,
    Attachment,
    Criterion,
    Decision,
    ForumProposal,
    Kecamatan,
    Kelurahan,
    Score,
    Stage,
    Support,
    stages_from,
)
from backend.errors import NotFound
from comments import selectors as comment_selectors
from comments.models import Comment
from consultations.models import Consultation, Item
from hearings import selectors as hearing_selectors
from hearings.models import Hearing

LIST_RELATED = (
    "category",
    "kecamatan",
    "kelurahan",
    "organization",
    "author",
    "author__privacy",
    "item",
)


def default_consultation() -> Consultation | None:
    """The plan proposals go to when a client names none: the newest open RPJMD consultation."""
    candidates = Consultation.objects.filter(
        kind=Consultation.Kind.RPJMD, status=Consultation.Status.OPEN
    ).order_by("-opens_at", "-id")
    return next((c for c in candidates[:5] if c.is_open), None)


def aspiration_list(queryset: QuerySet[Aspiration] | None = None) -> QuerySet[Aspiration]:
    """Proposals with what a list row shows, newest first. Proposals are public: each belongs to
    an open (or once open) consultation, and nothing in a row is private."""
    qs = Aspiration.objects.all() if queryset is None else queryset
    return qs.select_related(*LIST_RELATED).order_by("-id")


def aspiration_or_404(pk, queryset: QuerySet[Aspiration] | None = None) -> Aspiration:
    """The proposal with that id, or NotFound (also for ids no column can hold)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Proposal not found.")) from exc
    if not 0 < pk < 2**63:
        raise NotFound(_("Proposal not found."))
    try:
        return (Aspiration.objects.all() if queryset is None else queryset).get(pk=pk)
    except Aspiration.DoesNotExist as exc:
        raise NotFound(_("Proposal not found.")) from exc


def supported_by(organization_id: int) -> Exists:
    return Exists(
        Support.objects.filter(aspiration=OuterRef("pk"), organization_id=organization_id)
    )


def current_attachments(aspiration: Aspiration) -> QuerySet[Attachment]:
    return (
        Attachment.objects.filter(aspiration=aspiration, removed_in_version__isnull=True)
        .defer("data")
        .order_by("id")
    )


def attachments_of_version(aspiration: Aspiration, number: int) -> QuerySet[Attachment]:
    return (
        Attachment.objects.filter(aspiration=aspiration, added_in_version__lte=number)
        .filter(Q(removed_in_version__isnull=True) | Q(removed_in_version__gt=number))
        .defer("data")
        .order_by("id")
    )


def aspiration_for_page(pk: int) -> Aspiration:
    """One proposal with its decisions (and who signed them), its current files and versions."""
    decisions = Decision.objects.select_related("decided_by", "item", "merged_into").order_by(
        "decided_at", "id"
    )
    return (
        Aspiration.objects.select_related(*LIST_RELATED, "consultation", "merged_into")
        .prefetch_related(
            Prefetch("decisions", queryset=decisions),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(removed_in_version__isnull=True)
                .defer("data")
                .order_by("id"),
                to_attr="current_files",
            ),
            Prefetch(
                "versions",
                queryset=AspirationVersion.objects.select_related(
                    "created_by", "category", "kelurahan"
                ).order_by("number"),
            ),
        )
        .get(pk=pk)
    )


@dataclass
class TimelineEntry:
    kind: str  # "submitted" | "edited" | "decision"
    at: object
    version: AspirationVersion | None = None
    decision: Decision | None = None


def timeline(aspiration: Aspiration) -> list[TimelineEntry]:
    """Submitted, each later version, each decision: oldest first (uses the page's prefetch)."""
    entries = []
    for version in aspiration.versions.all():
        kind = "submitted" if version.number == 1 else "edited"
        entries.append(TimelineEntry(kind=kind, at=version.created_at, version=version))
    for decision in aspiration.decisions.all():
        entries.append(TimelineEntry(kind="decision", at=decision.decided_at, decision=decision))
    return sorted(entries, key=lambda entry: (entry.at, entry.kind != "submitted"))


def supporting_organizations(aspiration: Aspiration) -> QuerySet:
    """Organizations are named (like an open ballot); citizens are only counted."""
    return (
        Support.objects.filter(aspiration=aspiration, organization__isnull=False)
        .select_related("organization")
        .order_by("created_at", "id")
    )


def support_of(aspiration: Aspiration, *, organization=None, citizen=None) -> Support | None:
    if organization is not None:
        return Support.objects.filter(aspiration=aspiration, organization=organization).first()
    if citizen is not None:
        return Support.objects.filter(aspiration=aspiration, citizen=citizen).first()
    return None


def comment_thread(user, aspiration: Aspiration) -> QuerySet[Comment]:
    """The proposal's comments (top level, with replies), by the comments' visibility rule."""
    replies = comment_selectors.comment_list(
        user, Comment.objects.filter(aspiration=aspiration, parent__isnull=False)
    ).order_by("created_at", "id")
    top = comment_selectors.comment_list(
        user, Comment.objects.filter(aspiration=aspiration, parent__isnull=True)
    )
    return top.prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id")


def comments_of(user, aspiration: Aspiration) -> QuerySet[Comment]:
    """Every comment of the proposal the user may see, flat, oldest first (the API's list)."""
    return comment_selectors.comment_list(
        user, Comment.objects.filter(aspiration=aspiration)
    ).order_by("created_at", "id")


# --- stages, scores and rankings -------------------------------------------------------------


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True).order_by("position", "name"))


def in_area(queryset, stage: str, *, kecamatan=None, kelurahan=None):
    """The proposals of one stage's area: a kelurahan, a kecamatan, or the city."""
    if stage == Stage.KELURAHAN and kelurahan is not None:
        return queryset.filter(kelurahan=kelurahan)
    if stage in (Stage.KELURAHAN, Stage.KECAMATAN) and kecamatan is not None:
        return queryset.filter(kecamatan=kecamatan)
    return queryset


def stage_score(stage: str):
    """A proposal's total score at a stage, as a subquery (no GROUP BY over the list's joins)."""
    total = (
        Score.objects.filter(aspiration=OuterRef("pk"), stage=stage)
        .values("aspiration")
        .annotate(total=Sum("value"))
        .values("total")
    )
    return Coalesce(Subquery(total), 0)


def ranking(
    stage: str, *, kecamatan=None, kelurahan=None, consultation=None
) -> QuerySet[Aspiration]:
    """The "skala prioritas" of a stage and area: every proposal that reached the stage, by
    the forum's total score at that stage, then organizations' and citizens' supports, then
    the earlier proposal. Each row carries `stage_score` and its scores (`stage_scores`)."""
    qs = Aspiration.objects.filter(stage__in=stages_from(stage))
    qs = in_area(qs, stage, kecamatan=kecamatan, kelurahan=kelurahan)
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    return (
        qs.select_related(*LIST_RELATED)
        .annotate(stage_score=stage_score(stage))
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.filter(stage=stage)
                .select_related("criterion")
                .order_by("criterion__position"),
                to_attr="stage_scores",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(stage=stage)
                .select_related("item", "decided_by")
                .order_by("decided_at", "id"),
                to_attr="stage_decisions",
            ),
        )
        .order_by("-stage_score", "-support_organizations", "-support_citizens", "id")
    )


def area_of(aspiration: Aspiration) -> dict:
    """The area an aspiration is ranked in at its current stage."""
    if aspiration.stage == Stage.KELURAHAN:
        return {"kelurahan": aspiration.kelurahan_id}
    if aspiration.stage == Stage.KECAMATAN:
        return {"kecamatan": aspiration.kecamatan_id}
    return {}


def rank_of(aspiration: Aspiration) -> tuple[int | None, int, int]:
    """(rank, among how many, total score) of the proposal in its stage's ranking now."""
    rows = list(
        ranking(aspiration.stage, consultation=aspiration.consultation_id, **area_of(aspiration))
        .prefetch_related(None)
        .values_list("id", "stage_score")
    )
    for position, (pk, score) in enumerate(rows, start=1):
        if pk == aspiration.pk:
            return position, len(rows), score
    return None, len(rows), 0


def triage_queue(user, *, stage: str | None = None, kecamatan=None, kelurahan=None):
    """The open proposals an official decides on, in ranking order: their scope's stage and
    area (a superuser may name any). None when the user decides nowhere."""
    scope = permissions.scope_of(user)
    if scope is not None:
        stage, kecamatan, kelurahan = scope.stage, scope.kecamatan, scope.kelurahan
    elif not getattr(user, "is_superuser", False):
        return None
    stage = stage or Stage.KELURAHAN
    return ranking(stage, kecamatan=kecamatan, kelurahan=kelurahan).filter(
        stage=stage, status__in=Aspiration.OPEN_STATUSES
    )


def scores_by_stage(aspiration: Aspiration) -> dict[str, list[Score]]:
    scores = Score.objects.filter(aspiration=aspiration).select_related("criterion")
    result: dict[str, list[Score]] = {}
    for score in scores.order_by("criterion__position", "criterion__name"):
        result.setdefault(score.stage, []).append(score)
    return result


# --- the proposer's and the programme's views ------------------------------------------------


def aspirations_of(user) -> QuerySet[Aspiration]:
    """ "Usulan saya": the user's own proposals and their organization's, with decisions."""
    if not accounts_permissions.is_authenticated(user):
        return Aspiration.objects.none()
    condition = Q(author=user)
    organization = accounts_permissions.organization_of(user)
    if organization is not None:
        condition |= Q(organization=organization)
    decisions = Decision.objects.select_related("decided_by", "item").order_by("decided_at", "id")
    return aspiration_list(Aspiration.objects.filter(condition)).prefetch_related(
        Prefetch("decisions", queryset=decisions)
    )


def carried_by(item: Item) -> QuerySet[Aspiration]:
    """ "Aspirasi yang ditampung": the proposals accepted into a programme, each with how many
    proposals were merged into it."""
    return (
        aspiration_list(Aspiration.objects.filter(item=item, status=Aspiration.Status.ACCEPTED))
        .annotate(merged_count=Count("merged_proposals"))
        .order_by("kecamatan__name", "kelurahan__name", "id")
    )


def carried_counts(consultation_id: int) -> dict[int, int]:
    """{item id: accepted proposals} for a consultation's programmes, in one query."""
    rows = (
        Aspiration.objects.filter(
            consultation_id=consultation_id,
            status=Aspiration.Status.ACCEPTED,
            item__isnull=False,
        )
        .values("item_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["item_id"]: row["n"] for row in rows}


def report_totals(consultation: Consultation) -> dict:
    """The final report's "Aspirasi yang ditampung": per kecamatan and per category, how many
    were proposed and accepted and the pagu accepted; and the accepted proposals."""
    base = Aspiration.objects.filter(consultation=consultation)
    accepted = Q(status=Aspiration.Status.ACCEPTED)

    def totals(field):
        return list(
            base.values(name=F(field))
            .annotate(
                proposed=Count("id"),
                accepted=Count("id", filter=accepted),
                pagu=Sum("pagu", filter=accepted),
            )
            .order_by("name")
        )

    return {
        "kecamatan": totals("kecamatan__name"),
        "category": totals("category__name"),
        "proposed": base.count(),
        "accepted": list(
            aspiration_list(base.filter(accepted))
            .select_related("item")
            .order_by("item__position", "kecamatan__name", "id")
        ),
    }


def areas() -> QuerySet[Kecamatan]:
    return Kecamatan.objects.prefetch_related(
        Prefetch("kelurahan", queryset=Kelurahan.objects.order_by("name"))
    ).order_by("name")


# --- the forum hearing's agenda ------------------------------------------------------------


def forum_proposals_of(hearing) -> QuerySet[ForumProposal]:
    """The proposals on a hearing's agenda, in the order they were put on it: moving agenda
    items (`agenda.changed`) leaves this list as it is, and the pages find the proposal
    under discussion by its agenda item."""
    return (
        ForumProposal.objects.filter(hearing=hearing)
        .select_related("aspiration__kelurahan", "aspiration__kecamatan")
        .order_by("pk")
    )


def forum_scores(links) -> dict[int, list[Score]]:
    """Per link, the forum's scores of its proposal at the link's stage (one query)."""
    links = list(links)
    found = {link.pk: [] for link in links}
    if not links:
        return found
    wanted = {(link.aspiration_id, link.stage): link.pk for link in links}
    rows = (
        Score.objects.filter(aspiration_id__in={link.aspiration_id for link in links})
        .select_related("criterion")
        .order_by("criterion__position", "criterion__name")
    )
    for row in rows:
        key = wanted.get((row.aspiration_id, row.stage))
        if key is not None:
            found[key].append(row)
    return found


def forums_of(user, aspiration: Aspiration) -> list[ForumProposal]:
    """The forum hearings the proposal is (or was) on the agenda of, soonest first, each
    with its hearing: what the proposer and supporters want to know is where and when it
    is discussed. Only hearings the reader may see (hearings.selectors)."""
    visible = hearing_selectors.hearings_visible_to(user).values("pk")
    return list(
        ForumProposal.objects.filter(aspiration=aspiration, hearing__in=visible)
        .select_related("hearing")
        .order_by("hearing__starts_at", "pk")
    )


def forum_hearings_of(aspiration: Aspiration, *, stage: str | None = None) -> list:
    """The hearings (not ended) with this proposal on their agenda: a change to it is news
    on their big screens. `stage`: only where it is on the agenda for that stage."""
    links = ForumProposal.objects.filter(aspiration=aspiration).exclude(
        hearing__status=Hearing.Status.ENDED
    )
    if stage is not None:
        links = links.filter(stage=stage)
    return [link.hearing for link in links.select_related("hearing").order_by("hearing_id")]
