"""Undangan (ARCHITECTURE.md §2 rule 1): an official invites organizations to a hearing and
their representatives answer. The services of hearings' invitations; hearings/services.py
holds the rest of the hearing's state changes (kept apart for its size).

The e-mail is never sent in the request: each new invitation queues
`hearings.tasks.send_hearing_invitation` when the transaction commits.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, Invalid, NotFound, require
from hearings import letters, permissions, selectors, tasks
from hearings.models import Hearing, HearingInvitation

# One request invites at most this many organizations (the city has a few hundred).
MAX_ORGANIZATIONS = 500

ANSWERS = (
    HearingInvitation.Reply.HADIR,
    HearingInvitation.Reply.TIDAK_HADIR,
    HearingInvitation.Reply.DIWAKILI,
)

DELEGATE_NAME_MAX = 200


def _queue_emails(ids: list[int]) -> None:
    for pk in ids:
        tasks.send_hearing_invitation(pk)


def hearing_invite(*, actor, hearing: Hearing, organizations) -> list[HearingInvitation]:
    """Invite organizations to a hearing: one numbered invitation each, e-mailed by a job.

    Only verified organizations (400). Organizations invited before are left as they are
    (no second letter, no second e-mail); if every one was, nothing is new: 409.
    """
    require(
        permissions.can_invite_to_hearing(actor, hearing),
        _("Only officials send invitations to a hearing."),
    )
    unique = list({organization.pk: organization for organization in organizations}.values())
    if not unique:
        raise Invalid(_("Choose at least one organization."), field="organizations")
    if len(unique) > MAX_ORGANIZATIONS:
        raise Invalid(
            _("At most %(n)d organizations per invitation.") % {"n": MAX_ORGANIZATIONS},
            field="organizations",
        )
    unverified = sorted(o.name for o in unique if not o.is_verified)
    if unverified:
        raise Invalid(
            _("Only verified organizations can be invited: %(names)s.")
            % {"names": ", ".join(unverified)},
            field="organizations",
        )
    with transaction.atomic():
        # The hearing's lock numbers its letters one after another, without gaps or twins.
        hearing = selectors.hearing_for_update(hearing)
        if hearing.status == Hearing.Status.ENDED:
            raise Conflict(_("This hearing has ended."))
        invited = set(
            HearingInvitation.objects.filter(hearing=hearing).values_list(
                "organization_id", flat=True
            )
        )
        new = [o for o in unique if o.pk not in invited]
        if not new:
            raise Conflict(_("These organizations have already been invited to this hearing."))
        now = timezone.now()
        invitations = [
            HearingInvitation(
                hearing=hearing,
                organization=organization,
                number=letters.letter_number(hearing, len(invited) + n),
                sent_by=actor,
                sent_at=now,
            )
            for n, organization in enumerate(sorted(new, key=lambda o: o.name), start=1)
        ]
        HearingInvitation.objects.bulk_create(invitations)
        ids = [invitation.pk for invitation in invitations]
        transaction.on_commit(lambda: _queue_emails(ids))
    return invitations


def _clean_delegate_name(name) -> str:
    name = " ".join(str(name or "").split())
    if len(name) > DELEGATE_NAME_MAX:
        raise Invalid(
            _("The delegate's name is at most %(n)d characters.") % {"n": DELEGATE_NAME_MAX},
            field="delegate_name",
        )
    if not name.isprintable():
        raise Invalid(
            _("The delegate's name has characters a name cannot have."), field="delegate_name"
        )
    return name


def hearing_invitation_reply(
    *, actor, invitation: HearingInvitation, reply: str, delegate_name: str = ""
) -> HearingInvitation:
    """The representative answers: hadir (with who comes, optionally), tidak hadir, or
    diwakili (with the delegate's name). The answer may change until the hearing ends."""
    if not permissions.can_view_invitation(actor, invitation):
        raise NotFound(_("This invitation does not exist."))
    require(
        permissions.can_reply_to_invitation(actor, invitation),
        _("Only the organization's representative answers an invitation."),
    )
    if reply not in ANSWERS:
        raise Invalid(_("Answer hadir, tidak_hadir or diwakili."), field="reply")
    delegate_name = _clean_delegate_name(delegate_name)
    if reply == HearingInvitation.Reply.TIDAK_HADIR:
        delegate_name = ""
    elif reply == HearingInvitation.Reply.DIWAKILI and not delegate_name:
        raise Invalid(_("Name the delegate who comes in your place."), field="delegate_name")
    with transaction.atomic():
        hearing = selectors.hearing_for_update(invitation.hearing)
        if hearing.status == Hearing.Status.ENDED:
            raise Conflict(_("This hearing has ended; its invitations are closed."))
        invitation = HearingInvitation.objects.select_for_update().get(pk=invitation.pk)
        invitation.reply = reply
        invitation.delegate_name = delegate_name
        invitation.replied_by = actor
        invitation.replied_at = timezone.now()
        invitation.save(update_fields=["reply", "delegate_name", "replied_by", "replied_at"])
    return invitation
