"""Queued jobs of hearings (ARCHITECTURE.md §2 rule 5): the undangan e-mail.

`hearing_invite` queues one job per invitation when its transaction commits; the job writes
the e-mail (plain text and HTML) with the letter (.docx) and the calendar entry (.ics)
attached and sends it. A failed send is retried; `emailed_at` is set once the mail left,
so a job that runs again sends nothing twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from huey.contrib.djhuey import db_task

from backend import letters as house_style
from hearings import letters, selectors
from hearings.models import HearingInvitation

logger = logging.getLogger(__name__)


def _language_of(user) -> str:
    """The language the recipient reads e-mail in: the one saved with their notification
    settings (notifications.NotificationSettings, a layer above: read through the relation,
    not imported), else the site's default. The organization's inbox gets the default."""
    saved = getattr(getattr(user, "notification_settings", None), "language", "")
    return saved if saved in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def invitation_email(invitation, *, to: list[str], language: str, agenda: list[str]):
    """The undangan as an e-mail in `language`, the letter and the calendar entry attached."""
    hearing = invitation.hearing
    context = {
        "invitation": invitation,
        "hearing": hearing,
        "organization": invitation.organization,
        "agency": hearing.consultation.agency,
        "agenda": agenda,
        "reply_url": letters.site_url(reverse("hearing-invitations", args=[hearing.pk])),
        "room_url": letters.site_url(reverse("hearing-room", args=[hearing.pk])),
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string("hearings/email/invitation_subject.txt", context).split()
        )
        text = render_to_string("hearings/email/invitation.txt", context)
        html = render_to_string("hearings/email/invitation.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.attach(
        letters.filename(invitation, "docx"),
        letters.letter_docx(invitation, agenda=agenda),
        house_style.DOCX_CONTENT_TYPE,
    )
    message.attach(
        letters.filename(invitation, "ics"),
        letters.invitation_ics(invitation, agenda=agenda),
        "text/calendar",  # Django adds the charset to a text/* attachment itself
    )
    return message


@db_task(retries=3, retry_delay=60)
def send_hearing_invitation(invitation_id: int) -> int:
    """E-mail one undangan to its organization; returns how many messages went out."""
    invitation = (
        HearingInvitation.objects.select_related(
            "hearing__consultation__agency", "organization", "sent_by"
        )
        .filter(pk=invitation_id, emailed_at__isnull=True)
        .first()
    )
    if invitation is None:  # sent already, or withdrawn with its hearing
        return 0
    recipients = selectors.invitation_recipients(invitation)
    if not recipients:
        logger.warning(
            "undangan %s: organization %s has no e-mail address; the letter is on the page",
            invitation.pk,
            invitation.organization_id,
        )
        return 0
    agenda = [row.title for row in selectors.agenda_of(invitation.hearing)]
    by_language: dict[str, list[str]] = {}
    for address, user in recipients:
        by_language.setdefault(_language_of(user), []).append(address)
    for language, addresses in sorted(by_language.items()):
        invitation_email(invitation, to=addresses, language=language, agenda=agenda).send()
    HearingInvitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return len(by_language)
