"""E-mails of notifications: the one-click unsubscribe token and link (RFC 8058), absolute
links, and writing a message in the recipient's language (plain text and HTML)."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications import kinds
from notifications.models import Kind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The digest's own unsubscribe: every kind the user gets in the digest goes to the bell only.
DIGEST = "digest"


def absolute(path: str) -> str:
    """A link that works from a mail client (RUANG_SITE_URL, docs/DEPLOY.md)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(user_id: int, kind: str) -> str:
    """Signed with the secret key: names the user and the kind, no expiry (an old e-mail's
    link must still work)."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None for a token we did not sign or a kind we do not know."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    user_id, kind = value.get("u"), value.get("k")
    if not isinstance(user_id, int) or (kind not in Kind.values and kind != DIGEST):
        return None
    return user_id, kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notification-unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def kind_label(kind: str) -> str:
    return _("Daily digest") if kind == DIGEST else str(Kind(kind).label)


def render_notification(*, user, language: str, kind: str, title: str, url: str, data: dict):
    """(subject, text, html, unsubscribe link) of the e-mail for one notification."""
    with translation.override(language):
        context = {
            "user": user,
            "title": title,
            "details": kinds.details(kind, data),
            "url": absolute(url),
            "kind_label": kind_label(kind),
            "unsubscribe_url": unsubscribe_url(user.pk, kind),
            "preferences_url": absolute(reverse("notifications") + "#preferensi"),
            "city_name": settings.RUANG["CITY_NAME"],
        }
        subject = f"[Ruang Dialog] {title}"[:300]
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    return subject, text, html, context["unsubscribe_url"]


def render_digest(*, user, language: str, notifications) -> tuple[str, str, str, str]:
    """(subject, text, html, unsubscribe link) of one user's daily digest."""
    with translation.override(language):
        items = [
            {
                "title": n.title,
                "details": kinds.details(n.kind, n.data),
                "url": absolute(n.url),
                "created_at": n.created_at,
            }
            for n in notifications
        ]
        context = {
            "user": user,
            "items": items,
            "kind_label": kind_label(DIGEST),
            "unsubscribe_url": unsubscribe_url(user.pk, DIGEST),
            "preferences_url": absolute(reverse("notifications") + "#preferensi"),
            "city_name": settings.RUANG["CITY_NAME"],
        }
        subject = _("[Ruang Dialog] Daily summary: %(count)d notifications") % {"count": len(items)}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    return subject, text, html, context["unsubscribe_url"]
