"""Every state change of the responses (Tanggapan) to comments and sections: draft,
edit, publish (ARCHITECTURE.md §2 rule 1).

Kept beside services.py (posting, editing and withdrawing comments) and moderation.py
(reports, trusted flaggers, moderators' decisions) so no module passes the size limit of
ARCHITECTURE.md §1; the same rules hold: one function per action, the actor first,
keyword-only arguments, one transaction. Imports from services.py, never the other way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, Invalid, require
from comments import permissions, signals
from comments.models import Comment, Response
from comments.services import _lock_comment
from consultations.models import Consultation, Section


def _validate_response(outcome, body) -> None:
    if outcome not in Response.Outcome.values:
        raise Invalid(
            _("Choose an outcome: accepted, partially accepted, not accepted or noted."),
            field="outcome",
        )
    if not isinstance(body, str) or not body.strip():
        raise Invalid(_("Explain the response."), field="body")
    if len(body) > 10000:
        raise Invalid(_("A response can have at most 10000 characters."), field="body")
    if "\x00" in body:
        raise Invalid(_("The response contains characters that cannot be stored."), field="body")


def response_create(
    *,
    actor,
    outcome: str,
    body: str,
    comment: Comment | None = None,
    section: Section | None = None,
    consultation: Consultation | None = None,
    publish: bool = False,
) -> Response:
    """Tanggapan to one comment or to a whole section; a draft until published."""
    require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    if (comment is None) == (section is None):
        raise Invalid(_("Respond either to a comment or to a section."))
    _validate_response(outcome, body)
    target_consultation = comment.consultation if comment is not None else section.consultation
    if consultation is not None and consultation.pk != target_consultation.pk:
        raise Invalid(_("This belongs to another consultation."))
    if target_consultation.status == Consultation.Status.DRAFT:
        raise Conflict(_("A draft consultation has nothing to respond to yet."))
    with transaction.atomic():
        if comment is not None:
            comment = _lock_comment(comment)
            if not comment.is_published or comment.is_removed:
                raise Conflict(_("Only published comments can be answered."))
            if Response.objects.filter(comment=comment).exists():
                raise Conflict(_("This comment already has a response; edit it instead."))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=target_consultation,
                    comment=comment,
                    section=section if comment is None else comment.section,
                    outcome=outcome,
                    body=body,
                    responder=actor,
                    published_at=timezone.now() if publish else None,
                )
            if response.published_at is not None:
                signals.responses_published.send(sender=Response, response_ids=[response.pk])
        except IntegrityError as exc:
            raise Conflict(_("This comment already has a response; edit it instead.")) from exc
    return response


def response_update(
    *, actor, response: Response, outcome: str | None = None, body: str | None = None
) -> Response:
    require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        new_outcome = response.outcome if outcome is None else outcome
        new_body = response.body if body is None else body
        _validate_response(new_outcome, new_body)
        response.outcome = new_outcome
        response.body = new_body
        response.responder = actor
        response.save(update_fields=["outcome", "body", "responder", "updated_at"])
    return response


def comment_respond(
    *, actor, comment: Comment, outcome: str, body: str, publish: bool = False
) -> tuple[Response, bool]:
    """Answer a comment, or edit its answer if it has one: (response, created). The API's
    `respond` action and the response matrix page both answer through here."""
    with transaction.atomic():
        existing = Response.objects.select_for_update().filter(comment=comment).first()
        if existing is None:
            response = response_create(
                actor=actor, comment=comment, outcome=outcome, body=body, publish=publish
            )
            return response, True
        response = response_update(actor=actor, response=existing, outcome=outcome, body=body)
        if publish and response.published_at is None:
            response = response_publish(actor=actor, response=response)
        return response, False


def response_publish(*, actor, response: Response) -> Response:
    require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.published_at is not None:
            raise Conflict(_("This response is already published."))
        response.published_at = timezone.now()
        response.save(update_fields=["published_at", "updated_at"])
        signals.responses_published.send(sender=Response, response_ids=[response.pk])
    return response


def responses_publish(*, actor, consultation: Consultation) -> int:
    """Publish every drafted response of a consultation at once; returns how many."""
    require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        drafts = Response.objects.select_for_update().filter(
            consultation=consultation, published_at__isnull=True
        )
        ids = list(drafts.values_list("pk", flat=True))
        count = drafts.update(published_at=timezone.now())
        signals.responses_published.send(sender=Response, response_ids=ids)
        return count
