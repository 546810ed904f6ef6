"""Who may propose, support, edit, decide and score (docs/ASPIRATIONS.md, "Roles").

Each `*_denial` answers *why not* as the domain error a service raises, so the API, the
pages and the buttons give the same reason; the `can_*` predicates are their booleans.
"""

from django.utils.translation import gettext as _

from accounts import permissions as accounts
from accounts.models import Organization
from aspirations.models import Aspiration, OfficialScope, Stage
from backend.errors import Conflict, DomainError, Invalid, NotAllowed


def acting_organization(user) -> Organization | None:
    """On whose behalf `user` proposes: their verified organization, or None as a citizen
    (a member of an organization that is not verified yet proposes as an individual)."""
    return accounts.verified_organization_of(user)


def submit_denial(user) -> DomainError | None:
    if not accounts.is_authenticated(user):
        return NotAllowed(_("Sign in to submit a proposal."))
    if accounts.is_staff_role(user):
        return NotAllowed(
            _("Officials, moderators and planners decide on proposals; they do not submit them.")
        )
    return None


def can_submit(user) -> bool:
    return submit_denial(user) is None


def edit_denial(user, aspiration: Aspiration) -> DomainError | None:
    """The author edits until the first decision; after it nobody does, officials included.
    A proposal made for an organization is published under its name: its author edits it
    only while still in that organization."""
    if not accounts.is_authenticated(user) or aspiration.author_id != user.pk:
        return NotAllowed(_("Only the author may edit this proposal."))
    if aspiration.organization_id is not None:
        organization = accounts.organization_of(user)
        if organization is None or organization.pk != aspiration.organization_id:
            return NotAllowed(
                _(
                    "This proposal was made for an organization you no longer belong to; "
                    "only its author, while a member, may edit it."
                )
            )
    if aspiration.is_decided or aspiration.status != Aspiration.Status.SUBMITTED:
        return Conflict(
            _("This proposal has a decision on record; it can no longer be edited by anyone.")
        )
    return None


def can_edit(user, aspiration: Aspiration) -> bool:
    return edit_denial(user, aspiration) is None


def supporter(user, aspiration: Aspiration) -> tuple[Organization | None, object | None]:
    """(organization, None) for a verified organization's representative, (None, user) for a
    citizen; raises the reason when `user` may not support `aspiration`."""
    if not accounts.is_authenticated(user):
        raise NotAllowed(_("Sign in to support a proposal."))
    if accounts.is_staff_role(user):
        raise NotAllowed(
            _("Officials, moderators and planners decide on proposals; they do not support them.")
        )
    organization = acting_organization(user)
    if organization is not None:
        if not accounts.is_representative_of(user, organization):
            raise NotAllowed(
                _("Your organization's representative supports proposals on its behalf.")
            )
        if aspiration.organization_id == organization.pk:
            raise NotAllowed(
                _("An organization cannot support its own proposal; other organizations can.")
            )
        return organization, None
    if aspiration.author_id == user.pk:
        raise NotAllowed(_("You cannot support your own proposal."))
    return None, user


def support_denial(user, aspiration: Aspiration) -> DomainError | None:
    try:
        supporter(user, aspiration)
    except DomainError as error:
        return error
    if not aspiration.is_open:
        return closed_to_support(aspiration)
    return None


def closed_to_support(aspiration: Aspiration) -> Conflict:
    if aspiration.status == Aspiration.Status.MERGED:
        return Conflict(
            _("This proposal was merged into proposal #%(id)s; support that one.")
            % {"id": aspiration.merged_into_id}
        )
    return Conflict(
        _("This proposal has been decided (%(status)s); its supports are final.")
        % {"status": aspiration.get_status_display().lower()}
    )


def can_support(user, aspiration: Aspiration) -> bool:
    return support_denial(user, aspiration) is None


# --- stage officials --------------------------------------------------------------------------


def scope_of(user) -> OfficialScope | None:
    """The official's stage and area, cached on the user object (one query per request)."""
    if not accounts.is_official(user):
        return None
    if not hasattr(user, "_aspiration_scope"):
        user._aspiration_scope = (
            OfficialScope.objects.select_related("kecamatan", "kelurahan").filter(user=user).first()
        )
    return user._aspiration_scope


def scope_covers(scope: OfficialScope, aspiration: Aspiration, stage: str | None = None) -> bool:
    """Whether the scope is the proposal's area at `stage` (default: its current stage)."""
    return scope.stage == (stage or aspiration.stage) and in_scope_area(scope, aspiration)


def in_scope_area(scope: OfficialScope, aspiration: Aspiration) -> bool:
    """Whether the proposal lies in the scope's kelurahan or kecamatan (anywhere for the
    city), whatever its stage."""
    if scope.stage == Stage.KELURAHAN:
        return scope.kelurahan_id == aspiration.kelurahan_id
    if scope.stage == Stage.KECAMATAN:
        return scope.kecamatan_id == aspiration.kecamatan_id
    return True


def stage_official_denial(user) -> DomainError | None:
    """Whether `user` decides at any stage at all (whatever the proposal)."""
    if not accounts.is_authenticated(user):
        return NotAllowed(_("Sign in as a stage official to decide on proposals."))
    if user.is_superuser:
        return None
    if not accounts.is_official(user):
        return NotAllowed(_("Only the officials of a Musrenbang stage decide on proposals."))
    if scope_of(user) is None:
        return NotAllowed(_("You have no Musrenbang stage assigned; an administrator assigns one."))
    return None


def decision_denial(user, aspiration: Aspiration) -> DomainError | None:
    """Only an official with authority for the proposal's current stage and area decides
    (and scores); a superuser may act at any stage."""
    denial = stage_official_denial(user)
    if denial is not None or user.is_superuser:
        return denial
    scope = scope_of(user)
    if not scope_covers(scope, aspiration):
        return NotAllowed(
            _(
                "You decide at the %(yours)s stage for %(area)s; this proposal is at the "
                "%(stage)s stage in %(where)s."
            )
            % {
                "yours": scope.get_stage_display(),
                "area": scope.kelurahan or scope.kecamatan or _("the city"),
                "stage": aspiration.get_stage_display(),
                "where": aspiration.kelurahan
                if aspiration.stage == Stage.KELURAHAN
                else aspiration.kecamatan,
            }
        )
    return None


def merge_target_denial(user, target: Aspiration) -> DomainError | None:
    """A proposal merges only into one of the deciding official's own area: merging copies
    its supports there, and supports move a proposal up that area's ranking."""
    denial = stage_official_denial(user)
    if denial is not None or user.is_superuser:
        return denial
    scope = scope_of(user)
    if not in_scope_area(scope, target):
        return Invalid(
            _("Proposal #%(id)s is outside %(area)s; merge only into a proposal of your area.")
            % {"id": target.pk, "area": scope.kelurahan or scope.kecamatan},
            field="merged_into",
        )
    return None


def forum_removal_denial(user, aspiration: Aspiration, stage: str) -> DomainError | None:
    """Taking a proposal off a forum's agenda: the officials of the stage it was put on the
    agenda for (it may have been forwarded since), for its area."""
    denial = stage_official_denial(user)
    if denial is not None or user.is_superuser:
        return denial
    if not scope_covers(scope_of(user), aspiration, stage):
        return NotAllowed(
            _("Only the officials of the stage and area it is on this agenda for take it off.")
        )
    return None


def can_decide(user, aspiration: Aspiration) -> bool:
    return decision_denial(user, aspiration) is None and aspiration.is_open


def is_stage_official(user) -> bool:
    return bool(user is not None and getattr(user, "is_superuser", False)) or (
        scope_of(user) is not None
    )


def can_manage_lists(user) -> bool:
    """Categories and scoring criteria are the city's: officials keep them."""
    return accounts.is_official(user)


def can_assign_scopes(user) -> bool:
    """Who decides at which stage is set by an administrator, not by officials themselves."""
    return accounts.is_authenticated(user) and user.is_superuser
