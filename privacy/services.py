"""A person's rights over their data (UU No. 27/2022), across apps: closing one's account.

The accounts part lives in accounts.services.account_close; comment withdrawal goes through
comments.services.comment_delete, the same rule as deleting one comment by hand.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts import services as accounts_services
from backend.errors import NotAllowed, RateLimited, require
from backend.ratelimit import count_in_window
from comments import services as comments_services
from comments.models import Comment
from privacy.models import ErasureLog
from realtime.models import StreamEvent

User = get_user_model()

WRONG_PASSWORDS_PER_HOUR = 5


def _sessions_of(user) -> list[str]:
    """The keys of the user's live sessions (decoded one by one: closing an account is rare)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


# The comment event types whose data is the comment payload (it carries `author_name`).
NAMED_EVENT_TYPES = ("comment.published", "comment.submitted", "comment.screened")


def event_log_rename(*, user, pseudonym: str) -> int:
    """Replace the person's name by their pseudonym in the stored events of their comments
    (connected to accounts.signals.public_name_hidden), so a replay from 0 no longer shows
    a name the person took back. Live hearing states are cached for at most
    realtime.live.STATE_SECONDS."""
    ids = list(Comment.objects.filter(author=user, author_name="").values_list("pk", flat=True))
    events = []
    for event in StreamEvent.objects.filter(type__in=NAMED_EVENT_TYPES, data__id__in=ids):
        if isinstance(event.data, dict) and event.data.get("author_name") not in (
            None,
            pseudonym,
        ):
            event.data = {**event.data, "author_name": pseudonym}
            events.append(event)
    StreamEvent.objects.bulk_update(events, ["data"], batch_size=500)
    return len(events)


def _withdrawable(comment: Comment) -> bool:
    return comment.consultation.is_open and not comment.is_removed


def account_erase(*, actor, password: str, withdraw_open_comments: bool = False) -> ErasureLog:
    """Close the actor's account, their password confirming it (wrong: NotAllowed, nothing
    changed). Personal fields are erased and every token and session revoked; comments stay
    under the pseudonym (a public record), except — if asked — those on consultations still
    open, which are withdrawn as if deleted one by one. Organisation votes are untouched.
    Officials see an ErasureLog row: when, pseudonym and counts, never the erased data."""
    require(permissions.is_authenticated(actor), _("Sign in first."))
    # A stolen session must not become a password oracle: a few wrong tries per hour.
    wrong_key = f"ruang:erase-password:{actor.pk}"
    if (cache.get(wrong_key) or 0) >= WRONG_PASSWORDS_PER_HOUR:
        raise RateLimited(
            _("Too many wrong passwords. Please try again in an hour."), retry_after=3600
        )
    if not password or not actor.check_password(password):
        count_in_window(wrong_key, 3600)
        raise NotAllowed(_("The password is not correct. Nothing was changed."), field="password")
    with transaction.atomic():
        comments = list(
            Comment.objects.filter(author=actor, is_removed=False).select_related("consultation")
        )
        withdrawn = 0
        if withdraw_open_comments:
            # Replies first, so a parent withdrawn after its own replies leaves nothing.
            for comment in sorted(comments, key=lambda c: -c.pk):
                if _withdrawable(comment):
                    comments_services.comment_delete(actor=actor, comment=comment)
                    withdrawn += 1
        kept = Comment.objects.filter(author=actor, is_removed=False).count()
        username = actor.username
        session_keys = _sessions_of(actor)
        closed = accounts_services.account_close(actor=actor)
        Session.objects.filter(session_key__in=session_keys).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=username).delete()
        return ErasureLog.objects.create(
            pseudonym=closed["pseudonym"],
            comments_kept=kept,
            comments_withdrawn=withdrawn,
            tokens_revoked=closed["tokens"],
            sessions_revoked=len(session_keys),
            memberships_ended=closed["memberships"],
        )
