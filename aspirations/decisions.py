"""Decisions and scores at a Musrenbang stage (kelurahan, kecamatan, kota), by the officials
of that stage and area: every decision kept, dated and signed; after the first one the
proposal's text is frozen. Lock order: the proposal row(s) by ascending id.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspirations import forum, permissions, selectors, signals, supports, validation
from aspirations.models import Aspiration, Criterion, Decision, Score, Stage, next_stage
from backend.errors import Conflict, Invalid
from consultations.models import Item


def _reason(outcome: str, reason) -> str:
    required = outcome in (Decision.Outcome.REJECTED, Decision.Outcome.DEFERRED)
    reason = validation.text(
        reason, field="reason", limit=2000, required=False, label=_("The reason")
    )
    if required and len(reason) < 10:
        raise Invalid(
            _("Give the reason for this decision in a sentence the proposer can read."),
            field="reason",
        )
    return reason


def _lock_pair(aspiration: Aspiration, other: Aspiration | None):
    """Lock the proposal (and a merge target) in ascending id order: no deadlock between
    two merges that point at each other."""
    ids = sorted({aspiration.pk} | ({other.pk} if other is not None else set()))
    rows = {
        a.pk: a for a in Aspiration.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    return rows[aspiration.pk], rows.get(other.pk) if other is not None else None


def aspiration_decide(
    *,
    actor,
    aspiration: Aspiration,
    outcome: str,
    reason: str = "",
    merged_into: Aspiration | None = None,
    item: Item | None = None,
    pagu=None,
) -> Decision:
    """An official of the proposal's stage records a decision: forwarded (to the next stage),
    accepted (city stage only, into an RPJMD programme, optionally with a pagu), merged
    (into another proposal, supports carried over), rejected or deferred (with a reason).
    Kept, dated and signed; after the first one the proposal's text is frozen."""
    if outcome not in Decision.Outcome.values:
        raise Invalid(
            _("Choose an outcome: forwarded, accepted, merged, rejected or deferred."),
            field="outcome",
        )
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    reason = _reason(outcome, reason)
    if outcome != Decision.Outcome.MERGED and merged_into is not None:
        raise Invalid(_("Only a merge names another proposal."), field="merged_into")
    if outcome != Decision.Outcome.ACCEPTED and (item is not None or pagu not in (None, "")):
        raise Invalid(_("Only an acceptance names a programme and a pagu."), field="item")
    if outcome == Decision.Outcome.MERGED:
        if merged_into is None:
            raise Invalid(_("Name the proposal this one joins."), field="merged_into")
        if merged_into.pk == aspiration.pk:
            raise Invalid(_("A proposal cannot be merged into itself."), field="merged_into")
    if outcome == Decision.Outcome.ACCEPTED:
        if item is None:
            raise Invalid(_("Name the RPJMD programme that takes the proposal in."), field="item")
        pagu = (
            None
            if pagu in (None, "")
            else validation.money(
                pagu, field="pagu", limit=validation.MAX_PAGU, label=_("The pagu")
            )
        )
    with transaction.atomic():
        aspiration, target = _lock_pair(aspiration, merged_into)
        denial = permissions.decision_denial(actor, aspiration)
        if denial is not None:
            raise denial
        if not aspiration.is_open:
            raise Conflict(
                _("This proposal is already decided (%(status)s).")
                % {"status": aspiration.get_status_display().lower()}
            )
        if outcome == Decision.Outcome.FORWARDED and next_stage(aspiration.stage) is None:
            raise Invalid(
                _("The city stage is the last: accept, merge, reject or defer the proposal."),
                field="outcome",
            )
        if outcome == Decision.Outcome.ACCEPTED:
            if aspiration.stage != Stage.KOTA:
                raise Invalid(
                    _("Only the city stage accepts a proposal into the plan; forward it first."),
                    field="outcome",
                )
            if item.consultation_id != aspiration.consultation_id:
                raise Invalid(
                    _("That programme belongs to another consultation's plan."), field="item"
                )
        if target is not None:
            if target.consultation_id != aspiration.consultation_id:
                raise Invalid(
                    _("That proposal belongs to another consultation."), field="merged_into"
                )
            denial = permissions.merge_target_denial(actor, target)
            if denial is not None:
                raise denial
            if target.status == Aspiration.Status.MERGED:
                raise Invalid(
                    _("Proposal #%(id)s was itself merged into #%(into)s; merge into that one.")
                    % {"id": target.pk, "into": target.merged_into_id},
                    field="merged_into",
                )
            if target.status == Aspiration.Status.REJECTED:
                raise Invalid(
                    _("Proposal #%(id)s was rejected; it cannot take in another.")
                    % {"id": target.pk},
                    field="merged_into",
                )
        rank, among, score = selectors.rank_of(aspiration)
        now = timezone.now()
        decision = Decision.objects.create(
            aspiration=aspiration,
            stage=aspiration.stage,
            outcome=outcome,
            reason=reason,
            merged_into=target,
            item=item if outcome == Decision.Outcome.ACCEPTED else None,
            pagu=pagu if outcome == Decision.Outcome.ACCEPTED else None,
            rank=rank,
            ranked_among=among,
            score=score,
            support_organizations=aspiration.support_organizations,
            support_citizens=aspiration.support_citizens,
            decided_by=actor,
            decided_at=now,
        )
        if outcome == Decision.Outcome.FORWARDED:
            aspiration.stage = next_stage(aspiration.stage)
            aspiration.status = Aspiration.Status.FORWARDED
        elif outcome == Decision.Outcome.ACCEPTED:
            aspiration.status = Aspiration.Status.ACCEPTED
            aspiration.item, aspiration.pagu = item, pagu
        elif outcome == Decision.Outcome.MERGED:
            aspiration.status = Aspiration.Status.MERGED
            aspiration.merged_into = target
        else:
            aspiration.status = outcome  # rejected / deferred
        aspiration.first_decision_at = aspiration.first_decision_at or now
        aspiration.updated_at = now
        aspiration.save(
            update_fields=[
                "stage",
                "status",
                "item",
                "pagu",
                "merged_into",
                "first_decision_at",
                "updated_at",
            ]
        )
        if target is not None:
            supports.carry_supports(aspiration, target)
            forum.publish_changes(target)
        forum.publish_changes(aspiration)
        signals.aspiration_decided.send(sender=Decision, decision=decision)
    return decision


# --- scores -----------------------------------------------------------------------------------


def aspiration_score(*, actor, aspiration: Aspiration, scores) -> list[Score]:
    """The forum's scores (1–5 per criterion) at the proposal's current stage, entered by
    that stage's official; entering a criterion again replaces its score.
    `scores` is a list of (Criterion, value)."""
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    seen = set()
    checked = []
    for criterion, value in scores or ():
        if not isinstance(criterion, Criterion) or not criterion.is_active:
            raise Invalid(_("Score only the criteria the city uses."), field="scores")
        if criterion.pk in seen:
            raise Invalid(_("Each criterion is scored once."), field="scores")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise Invalid(_("A score is a whole number from 1 to 5."), field="scores")
        seen.add(criterion.pk)
        checked.append((criterion, value))
    if not checked:
        raise Invalid(_("Give at least one score."), field="scores")
    with transaction.atomic():
        aspiration = supports.lock(aspiration)
        denial = permissions.decision_denial(actor, aspiration)
        if denial is not None:
            raise denial
        if not aspiration.is_open:
            raise Conflict(_("A decided proposal is not scored any more."))
        now = timezone.now()
        for criterion, value in checked:
            Score.objects.update_or_create(
                aspiration=aspiration,
                criterion=criterion,
                stage=aspiration.stage,
                defaults={"value": value, "scored_by": actor, "scored_at": now},
            )
        forum.publish_changes(aspiration, stage=aspiration.stage)
        return list(
            Score.objects.filter(aspiration=aspiration, stage=aspiration.stage)
            .select_related("criterion")
            .order_by("criterion__position", "criterion__name")
        )
