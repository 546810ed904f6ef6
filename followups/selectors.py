"""Reads of follow-up: the rows of a consultation, and every accepted input with its
latest status and history (the public "Tindak lanjut" page)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import names
from analysis.models import Theme
from aspirations.models import Aspiration
from comments.models import Comment, Response
from consultations.models import Consultation, Section
from followups.models import FollowUp

ACCEPTED_OUTCOMES = (Response.Outcome.ACCEPTED.value, Response.Outcome.PARTIALLY_ACCEPTED.value)
# The status filter's extra value: accepted input nobody has reported on yet.
NO_FOLLOW_UP = "none"


def public_consultation(pk) -> Consultation:
    """A published consultation (anyone reads its follow-up); drafts and unknown ids: 404."""
    consultation = (
        Consultation.objects.select_related("agency")
        .exclude(status=Consultation.Status.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if consultation is None:
        raise Http404(_("No such consultation."))
    return consultation


def follow_ups_of(consultation: Consultation) -> QuerySet[FollowUp]:
    """Every follow-up row of the consultation, oldest first (the API's list)."""
    return (
        FollowUp.objects.filter(consultation=consultation)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    )


def people_behind(follow_up: FollowUp) -> list:
    """The accounts to tell that an input moved: the author of the answered comment, of the
    accepted proposal, or of the accepted proposals a programme carries; never the official
    who recorded it, never a closed account."""
    User = get_user_model()
    if follow_up.response_id:
        users = User.objects.filter(comments__response=follow_up.response_id)
    elif follow_up.aspiration_id:
        users = User.objects.filter(aspirations=follow_up.aspiration_id)
    else:
        users = User.objects.filter(
            aspirations__item=follow_up.item_id,
            aspirations__status=Aspiration.Status.ACCEPTED,
        )
    return list(
        users.filter(is_active=True).exclude(pk=follow_up.recorded_by_id).distinct().order_by("pk")
    )


@dataclass
class Entry:
    """One accepted input on the page: what was said, what was answered, what was done."""

    key: str  # "response:5", "proposal:3", "item:7": the form's target value
    kind: str  # response | proposal | item
    title: str
    said: str = ""
    who: str = ""
    answer: str = ""
    outcome: str = ""
    outcome_label: str = ""
    section: Section | None = None
    theme: str = ""
    theme_id: int | None = None
    history: list[FollowUp] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.key.replace(":", "-")

    @property
    def latest(self) -> FollowUp | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else NO_FOLLOW_UP


def comment_author(comment: Comment | None) -> str:
    """Who said it, as the public sees it: the organisation by name, a person by the name
    they allowed or their pseudonym, a written submission by its organisation only."""
    if comment is None:
        return ""
    if comment.organization_id:
        return comment.organization.name
    if comment.organization_name:
        return comment.organization_name
    if comment.author_id:
        return names.public_name(comment.author)
    return _("Written submission")


def _responses(consultation: Consultation):
    return (
        Response.objects.filter(
            consultation=consultation,
            published_at__isnull=False,
            outcome__in=ACCEPTED_OUTCOMES,
        )
        .select_related(
            "section",
            "comment__section",
            "comment__organization",
            "comment__author__privacy",
            "comment__placement__theme",
        )
        .order_by("section__position", "created_at", "id")
    )


def accepted_inputs(
    consultation: Consultation,
    *,
    section: int | None = None,
    theme: int | None = None,
    status: str | None = None,
) -> list[Entry]:
    """Accepted and partly accepted responses, accepted proposals and (RPJMD) programmes,
    each with its follow-up history, filtered by section, theme and latest status. Four
    queries whatever the size."""
    history: dict[str, list[FollowUp]] = defaultdict(list)
    for row in follow_ups_of(consultation):
        history[row.target_key].append(row)
    entries: list[Entry] = []
    for response in _responses(consultation):
        comment = response.comment
        placement = getattr(comment, "placement", None) if comment else None
        entry_section = (comment.section if comment else None) or response.section
        entries.append(
            Entry(
                key=f"response:{response.pk}",
                kind="response",
                title=str(entry_section) if entry_section else _("The draft as a whole"),
                said=comment.body if comment else "",
                who=comment_author(comment),
                answer=response.body,
                outcome=response.outcome,
                outcome_label=response.get_outcome_display(),
                section=entry_section,
                theme=placement.theme.label if placement else "",
                theme_id=placement.theme_id if placement else None,
                history=history[f"response:{response.pk}"],
            )
        )
    if section is None and theme is None:
        proposals = (
            Aspiration.objects.filter(consultation=consultation, status=Aspiration.Status.ACCEPTED)
            .select_related("organization", "author__privacy", "item")
            .order_by("id")
        )
        for proposal in proposals:
            entries.append(
                Entry(
                    key=f"proposal:{proposal.pk}",
                    kind="proposal",
                    title=proposal.title,
                    said=proposal.description,
                    who=proposal.organization.name
                    if proposal.organization_id
                    else names.public_name(proposal.author),
                    outcome="accepted",
                    outcome_label=_("Accepted into the plan"),
                    history=history[f"proposal:{proposal.pk}"],
                )
            )
        if consultation.kind == Consultation.Kind.RPJMD:
            for item in consultation.items.order_by("position", "id"):
                entries.append(
                    Entry(
                        key=f"item:{item.pk}",
                        kind="item",
                        title=str(item),
                        said=item.description,
                        history=history[f"item:{item.pk}"],
                    )
                )
    if section is not None:
        entries = [e for e in entries if e.section is not None and e.section.pk == section]
    if theme is not None:
        entries = [e for e in entries if e.theme_id == theme]
    if status:
        entries = [e for e in entries if e.status == status]
    return entries


def themes_of(consultation: Consultation) -> QuerySet[Theme]:
    return Theme.objects.filter(analysis__consultation=consultation).order_by("position", "id")


def sections_with_accepted_input(consultation: Consultation) -> QuerySet[Section]:
    """The sections the section filter offers: those some accepted response is about."""
    return (
        Section.objects.filter(
            consultation=consultation,
            responses__published_at__isnull=False,
            responses__outcome__in=ACCEPTED_OUTCOMES,
        )
        .distinct()
        .order_by("version__number", "position", "id")
    )
