"""Every state change of the analysis: marking it stale, computing it, importing written
submissions, and answering a whole theme or duplicate group at once (ARCHITECTURE.md §2)."""

import logging
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from analysis import imports, permissions, selectors
from analysis.models import Analysis, DuplicateGroup, Placement, Theme
from backend.errors import Conflict, Invalid, require
from comments import permissions as comments_permissions
from comments import responses as comments_responses
from comments import services as comments_services
from comments.models import Comment, Response
from consultations.models import Consultation

logger = logging.getLogger(__name__)


# --- Stale, requested, computed ---------------------------------------------------------------


def analysis_mark_stale(*, consultation_id: int, create: bool = True) -> None:
    """A comment of the consultation changed: the stored result no longer describes it.

    Called by the receiver of Comment's post_save/post_delete (analysis.tasks), inside the
    change's transaction; the job is queued after commit. A deleted comment never creates
    the row (its consultation may be on its way out in the same transaction).
    """

    def bump() -> int:
        return Analysis.objects.filter(consultation_id=consultation_id).update(
            changes=F("changes") + 1,
            status=Case(
                When(status=Analysis.Status.COMPUTING, then=Value(Analysis.Status.COMPUTING)),
                default=Value(Analysis.Status.STALE),
            ),
        )

    if bump() or not create:
        return
    _analysis, created = Analysis.objects.get_or_create(
        consultation_id=consultation_id, defaults={"changes": 1}
    )
    if not created:  # made by a concurrent change a moment ago
        bump()


def analysis_request(*, actor, consultation: Consultation) -> Analysis:
    """A planner asks for a fresh computation now (the API's refresh)."""
    require(
        permissions.can_refresh_analysis(actor),
        _("Only planners and officials may refresh the analysis."),
    )
    with transaction.atomic():
        analysis, _created = Analysis.objects.select_for_update().get_or_create(
            consultation=consultation
        )
        if analysis.status != Analysis.Status.COMPUTING:
            analysis.status = Analysis.Status.STALE
            analysis.save(update_fields=["status"])
    return analysis


def analysis_compute(*, consultation: Consultation, force: bool = False) -> Analysis:
    """Compute the themes and duplicate groups of the published comments and store them.

    The slow part runs outside any transaction; the result replaces the old one in one.
    Nothing to do when the stored result is ready and no comment changed since (unless
    `force`). A change during the computation leaves the result stale, for the next job.
    """
    with transaction.atomic():
        analysis, _created = Analysis.objects.select_for_update().get_or_create(
            consultation=consultation
        )
        if (
            not force
            and analysis.status == Analysis.Status.READY
            and analysis.changes == analysis.computed_changes
        ):
            return analysis
        generation = analysis.changes
        analysis.status = Analysis.Status.COMPUTING
        analysis.started_at = timezone.now()
        analysis.save(update_fields=["status", "started_at"])
    started = time.monotonic()
    try:
        rows = list(selectors.comments_to_analyse(consultation))
        result = _compute(rows)
    except Exception:
        Analysis.objects.filter(pk=analysis.pk).update(status=Analysis.Status.STALE)
        raise
    with transaction.atomic():
        analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
        _store(analysis, result)
        analysis.computed_changes = generation
        analysis.status = (
            Analysis.Status.READY if analysis.changes == generation else Analysis.Status.STALE
        )
        analysis.computed_at = timezone.now()
        analysis.comment_count = len(rows)
        analysis.duration_ms = int(1000 * (time.monotonic() - started))
        analysis.save(
            update_fields=[
                "computed_changes",
                "status",
                "computed_at",
                "comment_count",
                "duration_ms",
            ]
        )
    logger.info(
        "analysis of consultation %s: %d comments in %d ms",
        consultation.pk,
        len(rows),
        analysis.duration_ms,
    )
    return analysis


# The engine brings in numpy, scikit-learn and datasketch (about a second and a hundred
# megabytes per process). Every web worker imports these services, but only the job, the
# command and the tests compute, so the engine is loaded by its dotted path on the first
# computation, the way Django loads its backends (docs/DECISIONS.md).
ENGINE = "analysis.engine.compute"


def _compute(rows: list[dict]):
    """The groups and themes of the rows (an `analysis.engine.Result`)."""
    return import_string(ENGINE)(rows, other_label=_("Other"))


def _store(analysis: Analysis, result) -> None:
    """Replace the stored themes, groups and placements (inside the caller's transaction).
    Comments deleted while the computation ran are left out."""
    analysis.placements.all().delete()
    analysis.groups.all().delete()
    analysis.themes.all().delete()
    existing = set(
        Comment.objects.filter(consultation_id=analysis.consultation_id).values_list(
            "pk", flat=True
        )
    )
    # In batches, not one INSERT per group: 100,000 comments make about 10,000 groups.
    # bulk_create sets the new ids (PostgreSQL, and SQLite since 3.35, return them).
    groups = DuplicateGroup.objects.bulk_create(
        (
            DuplicateGroup(
                analysis=analysis,
                position=position,
                representative_id=members[0] if members[0] in existing else None,
            )
            for position, members in enumerate(result.groups)
        ),
        batch_size=2000,
    )
    group_of = {
        comment: group
        for group, members in zip(groups, result.groups, strict=True)
        for comment in members
    }
    placements = []
    for position, found in enumerate(result.themes):
        theme = Theme.objects.create(
            analysis=analysis,
            position=position,
            label=found.label[:200],
            terms=found.terms,
            is_other=found.is_other,
            representatives=[c for c in found.representatives if c in existing],
        )
        placements += [
            Placement(comment_id=c, analysis=analysis, theme=theme, group=group_of.get(c))
            for c in found.comments
            if c in existing
        ]
    Placement.objects.bulk_create(placements, batch_size=2000)


# --- Written submissions ----------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did, or (dry run) would do: the API's answer and the upload page's."""

    imported: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    rows: int = 0
    ready: int = 0
    preview: list[dict] = field(default_factory=list)
    rejected: bool = False
    pending: bool = False

    def answer(self) -> dict:
        return {"imported": self.imported, "skipped": self.skipped, "errors": self.errors}


PREVIEW_ROWS = 10


def comment_import(
    *,
    actor,
    consultation: Consultation,
    upload,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import written submissions (paper forms, letters, e-mails) from a CSV or XLSX file.

    All or nothing: a file with a bad row imports nothing unless `skip_invalid`, and then
    the bad rows are reported and left out. A row whose `ref` is already recorded for the
    consultation is skipped, so importing the same file twice adds nothing. `dry_run`
    checks every row and imports none (the upload page's preview).
    """
    require(
        comments_permissions.can_record_written_comments(actor),
        _("Only officials and planners may import written submissions."),
    )
    if consultation.status not in (Consultation.Status.OPEN, Consultation.Status.CLOSED):
        raise Conflict(_("Written submissions are entered while a consultation is open or closed."))
    rows = imports.read(upload)
    result = ImportResult(
        rows=len(rows),
        preview=[imports.preview(row) for row in rows[:PREVIEW_ROWS]],
        pending=consultation.moderation == Consultation.Moderation.PRE,
    )
    lookup = imports.Lookup(consultation)
    refs = {imports.cell_text(row.values.get("ref")) for row in rows} - {""}
    recorded = set(
        Comment.objects.filter(consultation=consultation, external_ref__in=refs).values_list(
            "external_ref", flat=True
        )
    )
    ready: list[tuple[int, dict]] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        try:
            data = imports.prepare(row, lookup)
        except Invalid as error:
            result.errors.append({"row": row.number, "message": error.message})
            continue
        ref = data["external_ref"]
        if ref in recorded:
            result.skipped += 1
            continue
        if ref and ref in first_row_of:
            result.errors.append(
                {
                    "row": row.number,
                    "message": _("Reference “%(ref)s” is also on row %(row)d.")
                    % {"ref": ref, "row": first_row_of[ref]},
                }
            )
            continue
        if ref:
            first_row_of[ref] = row.number
        ready.append((row.number, data))
    # A preview only checks (comments.services.comment_written_check, the same rules);
    # an import records every row in one transaction, rolled back if a row fails.
    record = (
        comments_services.comment_written_check
        if dry_run
        else comments_services.comment_record_written
    )
    with transaction.atomic():
        for number, data in ready:
            try:
                with transaction.atomic():
                    record(actor=actor, consultation=consultation, **data)
                result.ready += 1
            except (Invalid, Conflict) as error:
                result.errors.append({"row": number, "message": error.message})
        result.errors.sort(key=lambda error: error["row"])
        result.rejected = bool(result.errors) and not skip_invalid
        if dry_run or result.rejected:
            transaction.set_rollback(True)
        else:
            result.imported = result.ready
            result.skipped += len(result.errors)
    return result


# --- Answering a theme or a group at once -------------------------------------------------------


def _respond_to_all(*, actor, comments, outcome: str, body: str, publish: bool) -> int:
    """comment_respond for each comment, in one transaction: all answered or none."""
    require(comments_permissions.can_respond(actor), _("Only officials and planners may respond."))
    if outcome not in Response.Outcome.values:
        raise Invalid(
            _("Choose an outcome: accepted, partially accepted, not accepted or noted."),
            field="outcome",
        )
    with transaction.atomic():
        answered = 0
        for comment in comments:
            comments_responses.comment_respond(
                actor=actor, comment=comment, outcome=outcome, body=body, publish=publish
            )
            answered += 1
    if not answered:
        raise Conflict(_("None of its comments is published any more; nothing was answered."))
    return answered


def theme_respond(*, actor, theme: Theme, outcome: str, body: str, publish: bool = False) -> int:
    """One answer for every published comment of a theme; returns how many were answered.
    A comment already answered gets its answer replaced (comments.responses.comment_respond)."""
    return _respond_to_all(
        actor=actor,
        comments=selectors.comments_of(theme=theme),
        outcome=outcome,
        body=body,
        publish=publish,
    )


def group_respond(
    *, actor, group: DuplicateGroup, outcome: str, body: str, publish: bool = False
) -> int:
    """One answer for every published comment of a duplicate group (a campaign answered
    once); returns how many were answered."""
    return _respond_to_all(
        actor=actor,
        comments=selectors.comments_of(group=group),
        outcome=outcome,
        body=body,
        publish=publish,
    )
