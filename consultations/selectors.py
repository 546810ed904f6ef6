"""Reads that are more than a one-line query."""

import difflib
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from consultations import permissions
from consultations.models import (
    Comment,
    CommentReport,
    Consultation,
    DraftVersion,
    Item,
    Membership,
    ModerationAction,
    Organization,
    Response,
    Section,
)
from realtime import events


def consultations_visible_to(user) -> QuerySet[Consultation]:
    qs = Consultation.objects.select_related("agency")
    if permissions.is_staff_role(user):
        return qs
    return qs.exclude(status=Consultation.Status.DRAFT)


def organizations_visible_to(user) -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if permissions.is_official(user):
        return qs
    own = permissions.organization_of(user)
    condition = Q(status=Organization.Status.VERIFIED)
    if own is not None:
        condition |= Q(pk=own.pk)
    return qs.filter(condition)


def current_version(consultation: Consultation) -> DraftVersion | None:
    """The version readers see: the newest published one, or for a draft its first version."""
    versions = list(consultation.versions.order_by("-number"))
    for version in versions:
        if version.is_published:
            return version
    return versions[-1] if versions else None


def editable_version(consultation: Consultation) -> DraftVersion | None:
    """The newest version if it is still unpublished, else None."""
    newest = consultation.versions.order_by("-number").first()
    if newest is None or newest.is_published:
        return None
    return newest


def sections_of(consultation: Consultation, version: DraftVersion | None = None):
    version = version or current_version(consultation)
    if version is None:
        return Section.objects.none()
    return Section.objects.filter(version=version).order_by("position", "id")


def items_of(consultation: Consultation) -> QuerySet[Item]:
    return Item.objects.filter(consultation=consultation).order_by("position", "id")


def consultation_for_page(consultation_id: int, user) -> Consultation:
    return (
        consultations_visible_to(user)
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position", "id")),
            "versions",
        )
        .get(pk=consultation_id)
    )


def section_changes(section: Section) -> list[tuple[str, str]]:
    """Word-level diff against the same section in the previous version: (op, text) pairs."""
    if section.previous is None:
        return []
    old = section.previous.body.split()
    new = section.body.split()
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("equal", " ".join(old[a1:a2])))
        if op in ("delete", "replace"):
            result.append(("delete", " ".join(old[a1:a2])))
        if op in ("insert", "replace"):
            result.append(("insert", " ".join(new[b1:b2])))
    return result


def memberships_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__username")


def organization_counts() -> dict[str, int]:
    rows = Organization.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# --- Comments, moderation, responses (issue 3: branch comments) ---


def comments_visible_to(user, queryset: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """The one visibility rule for comments, used by every list, detail, count and search.

    Published comments are public (on a non-draft consultation); authors also see
    their own comments in any status; moderators and officials see everything.
    """
    qs = Comment.objects.all() if queryset is None else queryset
    if permissions.can_see_all_comments(user):
        return qs
    # NOT IN (drafts), not a join: the planner keeps the comment indexes for the ordering.
    drafts = Consultation.objects.filter(status=Consultation.Status.DRAFT).values("pk")
    qs = qs.exclude(consultation__in=drafts)
    condition = Q(status=Comment.Status.PUBLISHED)
    if permissions.is_authenticated(user):
        condition |= Q(author=user)
    return qs.filter(condition)


def can_see_draft_responses(user) -> bool:
    return permissions.can_respond(user) or permissions.can_see_all_comments(user)


def responses_visible_to(user, queryset: QuerySet[Response] | None = None) -> QuerySet[Response]:
    """Drafted responses stay internal until published."""
    qs = Response.objects.all() if queryset is None else queryset
    if can_see_draft_responses(user):
        return qs
    return qs.filter(published_at__isnull=False)


def visible_response(comment: Comment, user) -> Response | None:
    """The comment's response if `user` may read it (uses the select_related row)."""
    try:
        response = comment.response
    except Response.DoesNotExist:
        return None
    if response.published_at is None and not can_see_draft_responses(user):
        return None
    return response


def comment_list(user, queryset: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """Visible comments with what a list shows loaded in a constant number of queries.

    The responses come in a second query: joining them too took PostgreSQL longer to plan
    (~10 ms) than to run the whole page (docs/PERFORMANCE.md, "Scale of reads").
    """
    return (
        comments_visible_to(user, queryset)
        .select_related("author", "organization", "section")
        .prefetch_related(
            Prefetch("response", queryset=Response.objects.select_related("responder"))
        )
    )


def comment_thread(user, consultation: Consultation, section: Section | None, stance: str = ""):
    """Top-level comments of a section (or of the consultation as a whole) with their replies.

    Replies are filtered by the same visibility rule; a stance filter applies to
    the top-level comments only, so an answer is never shown without its question.
    """
    base = Comment.objects.filter(consultation=consultation)
    base = base.filter(section=section) if section is not None else base.filter(section=None)
    replies = comment_list(user, Comment.objects.filter(parent__isnull=False)).order_by(
        "created_at", "id"
    )
    top = comment_list(user, base.filter(parent=None))
    if stance in Comment.Stance.values:
        top = top.filter(stance=stance)
    return top.prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id")


def comment_counts_by_stance(user, consultation: Consultation | int) -> dict:
    """{section_id or None: {"support": n, ..., "total": n}} of the comments `user` may see."""
    consultation_id = getattr(consultation, "pk", consultation)
    qs = comments_visible_to(user, Comment.objects.filter(consultation_id=consultation_id))
    rows = (
        qs.filter(is_removed=False)
        .values("section_id", "stance")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = {}
    for row in rows:
        bucket = counts.setdefault(
            row["section_id"], {**dict.fromkeys(Comment.Stance.values, 0), "total": 0}
        )
        bucket[row["stance"]] += row["n"]
        bucket["total"] += row["n"]
    return counts


def empty_stance_counts() -> dict:
    return {**dict.fromkeys(Comment.Stance.values, 0), "total": 0}


def comment_event_data(comment: Comment) -> dict:
    """What any reader may see of a published comment: the comment.published payload."""
    return events.comment_published(comment)


def moderation_queue(consultation: Consultation | None = None) -> QuerySet[Comment]:
    """Pending comments and comments with unresolved reports, oldest first."""
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    qs = Comment.objects.filter(is_removed=False).filter(
        Q(status=Comment.Status.PENDING) | Q(Exists(open_reports))
    )
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    return (
        qs.select_related("author", "organization", "section", "consultation", "parent")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).select_related(
                    "reporter"
                ),
                to_attr="open_reports",
            )
        )
        .order_by("created_at", "id")
    )


def moderation_log(
    consultation: Consultation | None = None, comment: Comment | None = None
) -> QuerySet[ModerationAction]:
    qs = ModerationAction.objects.select_related("actor", "comment", "comment__consultation")
    if consultation is not None:
        qs = qs.filter(comment__consultation=consultation)
    if comment is not None:
        qs = qs.filter(comment=comment)
    return qs.order_by("-created_at", "-id")


def comments_of_author(user) -> QuerySet[Comment]:
    """ "My comments": every status, so the author sees each moderation decision."""
    if not permissions.is_authenticated(user):
        return Comment.objects.none()
    return (
        Comment.objects.filter(author=user, is_removed=False)
        .select_related("consultation", "section", "organization", "response")
        .order_by("-created_at", "-id")
    )


def response_matrix(user, consultation: Consultation, *, include_empty: bool = False) -> list[dict]:
    """Per section of the current version: its comments, each with its response and outcome.

    Rows: {"section": Section | None, "responses": [section responses], "comments": [...]}.
    Only visible comments (top-level and replies) and visible responses appear.
    """
    comments = list(
        comment_list(user, Comment.objects.filter(consultation=consultation, is_removed=False))
        .filter(status=Comment.Status.PUBLISHED)
        .order_by("section__position", "created_at", "id")
    )
    section_responses = (
        responses_visible_to(user, Response.objects.filter(consultation=consultation))
        .filter(comment__isnull=True)
        .select_related("responder")
    )
    by_section: dict = {}
    for response in section_responses:
        by_section.setdefault(response.section_id, []).append(response)
    sections = list(sections_of(consultation))
    rows = [{"section": None, "responses": [], "comments": []}]
    rows += [
        {"section": s, "responses": by_section.get(s.pk, []), "comments": []} for s in sections
    ]
    index = {row["section"].pk if row["section"] else None: row for row in rows}
    for comment in comments:
        row = index.get(comment.section_id)
        if row is None:  # a section of an older version: keep it, labelled by its section
            row = {"section": comment.section, "responses": [], "comments": []}
            index[comment.section_id] = row
            rows.append(row)
        row["comments"].append({"comment": comment, "response": visible_response(comment, user)})
    if include_empty:  # responders need every section, to answer a section as a whole
        return [row for row in rows if row["section"] or row["comments"] or row["responses"]]
    return [row for row in rows if row["comments"] or row["responses"]]


def response_outcome_counts(user, consultation: Consultation) -> dict:
    rows = (
        responses_visible_to(user, Response.objects.filter(consultation=consultation))
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["outcome"]: row["n"] for row in rows}


# --- Hearings (issue 5: branch hearings) ---
# Payload builders: what a public reader of a hearing stream may see, nothing more. Services use
# them for event data, pages and the consumer's snapshot use them for the initial state.

SCREEN_COMMENT_LIMIT = 6
ROOM_COMMENT_LIMIT = 50


def hearings_visible_to(user) -> QuerySet:
    from consultations.models import Hearing

    qs = Hearing.objects.select_related("consultation", "current_agenda_item", "voting_item")
    if permissions.is_staff_role(user):
        return qs
    return qs.exclude(consultation__status=Consultation.Status.DRAFT)


def hearing_for_page(hearing_id: int, user):
    from consultations.models import AgendaItem

    return (
        hearings_visible_to(user)
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("item").order_by("position", "id"),
            )
        )
        .get(pk=hearing_id)
    )


def agenda_of(hearing):
    from consultations.models import AgendaItem

    return (
        AgendaItem.objects.filter(hearing=hearing).select_related("item").order_by("position", "id")
    )


def item_payload(item) -> dict | None:
    if item is None:
        return None
    return {"id": item.pk, "code": item.code, "title": item.title}


def agenda_item_payload(agenda_item) -> dict | None:
    if agenda_item is None:
        return None
    return {
        "id": agenda_item.pk,
        "position": agenda_item.position,
        "title": agenda_item.title,
        "item": agenda_item.item_id,
    }


def agenda_payload(hearing) -> dict:
    agenda = list(agenda_of(hearing))
    current = next((a for a in agenda if a.pk == hearing.current_agenda_item_id), None)
    return {
        "kind": "agenda",
        "agenda": [agenda_item_payload(a) for a in agenda],
        "current": agenda_item_payload(current),
        "current_item": item_payload(current.item if current else None),
    }


def voting_choices(consultation) -> list[str]:
    if consultation.voting_method == Consultation.VotingMethod.APPROVAL:
        return ["approve"]
    return ["for", "against", "abstain"]


def voting_payload(hearing) -> dict | None:
    if hearing.voting_item_id is None:
        return None
    consultation = hearing.consultation
    return {
        "item": item_payload(hearing.voting_item),
        "opened_at": hearing.voting_opened_at.isoformat() if hearing.voting_opened_at else None,
        "method": consultation.voting_method,
        "ballot": consultation.ballot,
        "choices": voting_choices(consultation),
        "check_in_required": hearing.check_in_required,
    }


def organization_label(organization) -> str | None:
    if organization is None:
        return None
    return organization.name


def comment_payload(comment) -> dict:
    """A published comment as anyone may read it: organization name, never internal fields."""
    author = comment.author
    return {
        "id": comment.pk,
        "body": comment.body,
        "stance": comment.stance,
        "organization": organization_label(comment.organization),
        "author": (author.get_full_name() or author.username) if author else None,
        "created_at": comment.created_at.isoformat(),
        "on_screen_at": comment.on_screen_at.isoformat() if comment.on_screen_at else None,
    }


def _published_hearing_comments(hearing):
    from consultations.models import Comment

    return Comment.objects.filter(
        hearing=hearing, status=Comment.Status.PUBLISHED, is_removed=False
    ).select_related("author", "organization")


def screen_comments(hearing, limit: int = SCREEN_COMMENT_LIMIT) -> list:
    """The last comments a moderator approved for the big screen, oldest first."""
    rows = list(
        _published_hearing_comments(hearing)
        .filter(on_screen_at__isnull=False)
        .order_by("-on_screen_at", "-id")[:limit]
    )
    return rows[::-1]


def room_comments(hearing, limit: int = ROOM_COMMENT_LIMIT) -> list:
    rows = list(_published_hearing_comments(hearing).order_by("-created_at", "-id")[:limit])
    return rows[::-1]


def speakers_of(hearing):
    from consultations.models import SpeakerRequest

    return (
        SpeakerRequest.objects.filter(
            hearing=hearing,
            status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
        )
        .select_related("organization")
        .order_by("position", "id")
    )


def speaker_payload(request) -> dict:
    ends_at = None
    if request.started_at is not None:
        ends_at = (request.started_at + timedelta(seconds=request.seconds)).isoformat()
    return {
        "id": request.pk,
        "organization": organization_label(request.organization),
        "organization_id": request.organization_id,
        "status": request.status,
        "position": request.position,
        "seconds": request.seconds,
        "started_at": request.started_at.isoformat() if request.started_at else None,
        "ends_at": ends_at,
    }


def speakers_payload(hearing) -> dict:
    rows = list(speakers_of(hearing))
    speaking = next((r for r in rows if r.status == r.Status.SPEAKING), None)
    return {
        "kind": "speakers",
        "queue": [speaker_payload(r) for r in rows if r.status == r.Status.WAITING],
        "speaking": speaker_payload(speaking) if speaking else None,
    }


def manual_count_payload(count) -> dict:
    return {
        "id": count.pk,
        "item": item_payload(count.item),
        "method": count.method,
        "label": str(count.get_method_display()),
        "counts": count.counts,
        "total": sum(count.counts.values()),
        "note": count.note,
        "entered_at": count.entered_at.isoformat(),
    }


def manual_counts_of(hearing):
    from consultations.models import ManualCount

    return (
        ManualCount.objects.filter(hearing=hearing)
        .select_related("item")
        .order_by("entered_at", "id")
    )


def attendance_of(hearing):
    from consultations.models import Attendance

    return Attendance.objects.filter(hearing=hearing).select_related("organization")


def attendance_payload(hearing, organization=None) -> dict:
    data = {"kind": "attendance", "count": attendance_of(hearing).count()}
    if organization is not None:
        data["organization"] = {"id": organization.pk, "name": organization.name}
    return data


def has_checked_in(hearing, organization) -> bool:
    if organization is None:
        return False
    return attendance_of(hearing).filter(organization=organization).exists()


def hearing_payload(hearing) -> dict:
    return {
        "id": hearing.pk,
        "title": hearing.title,
        "location": hearing.location,
        "starts_at": hearing.starts_at.isoformat(),
        "status": hearing.status,
        "screen_mode": hearing.screen_mode,
        "check_in_required": hearing.check_in_required,
        "consultation": {"id": hearing.consultation_id, "title": hearing.consultation.title},
    }


def hearing_snapshot(hearing, tally=None) -> dict:
    """The whole public state of a hearing: the `snapshot` data and the pages' initial state.

    `tally` is the current tally of the open voting item when the caller can read it
    (the voting app); consultations itself knows nothing about votes.
    """
    return {
        "hearing": hearing_payload(hearing),
        "agenda": agenda_payload(hearing),
        "voting": voting_payload(hearing),
        "tally": tally,
        "screen_comments": [comment_payload(c) for c in screen_comments(hearing)],
        "comments": [comment_payload(c) for c in room_comments(hearing)],
        "speakers": speakers_payload(hearing),
        "manual_counts": [manual_count_payload(c) for c in manual_counts_of(hearing)],
        "attendance": attendance_payload(hearing),
    }


def live_hearing_streams_for_item(item) -> list[str]:
    """Streams of live hearings voting on `item`: where the voting app also sends tally.updated."""
    from consultations.models import Hearing

    ids = Hearing.objects.filter(status=Hearing.Status.LIVE, voting_item=item).values_list(
        "pk", flat=True
    )
    return [f"hearing:{pk}" for pk in ids]


def pending_hearing_comments(hearing, limit: int = 100) -> list:
    """For the moderator console: published comments not yet on the screen, newest first."""
    return list(
        _published_hearing_comments(hearing)
        .filter(on_screen_at__isnull=True)
        .order_by("-created_at", "-id")[:limit]
    )


SCREEN_HEARTBEAT_TTL = 5 * 60


def screen_heartbeat_key(hearing) -> str:
    return f"hearing-screens:{hearing.pk}"


def connected_screens(hearing) -> list[dict]:
    """Screens that sent a heartbeat in the last five minutes, newest first."""
    from django.core.cache import cache

    cutoff = timezone.now() - timedelta(seconds=SCREEN_HEARTBEAT_TTL)
    screens = (cache.get(screen_heartbeat_key(hearing)) or {}).values()
    fresh = [s for s in screens if datetime.fromisoformat(s["last_seen"]) > cutoff]
    return sorted(fresh, key=lambda s: s["last_seen"], reverse=True)
