"""Reads of comments and responses: who sees which, threads, queues, counts, the response matrix."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts import permissions as accounts_permissions
from comments import permissions
from comments.models import Comment, CommentReport, ModerationAction, Response, TrustedFlagger
from consultations.models import Consultation, Section
from consultations.selectors import sections_of


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
    if accounts_permissions.is_authenticated(user):
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
        .select_related("author", "author__privacy", "organization", "section")
        .prefetch_related(
            Prefetch("response", queryset=Response.objects.select_related("responder"))
        )
    )


def comment_thread(user, consultation: Consultation, section: Section | None, stance: str = ""):
    """Top-level comments of a section (or of the consultation as a whole) with their replies.

    Replies are filtered by the same visibility rule; a stance filter applies to
    the top-level comments only, so an answer is never shown without its question.
    """
    base = Comment.objects.filter(consultation=consultation, aspiration=None)  # proposals: own
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


def moderation_queue(consultation: Consultation | None = None) -> QuerySet[Comment]:
    """Pending comments and comments with unresolved reports, oldest first."""
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    qs = Comment.objects.filter(is_removed=False).filter(
        Q(status=Comment.Status.PENDING) | Q(Exists(open_reports))
    )
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    return (
        qs.select_related(
            "author", "author__privacy", "organization", "section", "consultation", "parent"
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).select_related(
                    "reporter", "organization"
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
    if not accounts_permissions.is_authenticated(user):
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


def trusted_flaggers() -> QuerySet[TrustedFlagger]:
    return TrustedFlagger.objects.select_related("user", "organization", "named_by").order_by(
        "created_at", "id"
    )
