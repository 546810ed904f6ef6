"""What each kind of notification says: its title and detail lines, written in the
recipient's language from the kind's `data` (the same dict the API returns).

A title is built when the notification is made, under the recipient's language
(services.notifications_create); `data` holds codes (outcomes, roles) and ISO times, never
translated text, so the same data reads right in Indonesian and in English.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership
from aspirations.models import Decision
from backend.templatetags.waktu import waktu
from comments.models import Response
from notifications.models import Channel, Kind

# Without a stored preference: everything personal reaches the bell and the inbox at once;
# the announcements that go to whole organizations (votes opening, hearings) too, since an
# LSM that does not come back to the site would otherwise never hear of them.
DEFAULT_CHANNEL = dict.fromkeys(Kind.values, Channel.EMAIL)

# Kinds a user may be sent at all, by role, decides which rows the preferences page shows.
STAFF_KINDS = {Kind.MODERATION_WAITING}


# followups.models.FollowUp.Status, named here: followups sits above notifications.
FOLLOW_UP_STATUS = {
    "planned": gettext_lazy("planned"),
    "in_progress": gettext_lazy("in progress"),
    "done": gettext_lazy("done"),
    "dropped": gettext_lazy("dropped"),
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _when(value) -> str:
    if not value:
        return ""
    try:
        return waktu(datetime.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def title(kind: str, data: dict) -> str:
    """One sentence, at most 300 characters, in the active language."""
    d = data
    consultation = d.get("consultation_title", "")
    if kind == Kind.COMMENT_APPROVED:
        text = _("Your comment on “%(consultation)s” was approved and is public.") % {
            "consultation": consultation
        }
    elif kind == Kind.COMMENT_REJECTED:
        text = _("Your comment on “%(consultation)s” was rejected.") % {
            "consultation": consultation
        }
    elif kind == Kind.COMMENT_HIDDEN:
        text = _("Your comment on “%(consultation)s” was hidden.") % {"consultation": consultation}
    elif kind == Kind.COMMENT_RESPONDED:
        text = _("The government responded to your comment on “%(consultation)s”: %(outcome)s.") % {
            "consultation": consultation,
            "outcome": _label(Response.Outcome, d.get("outcome")).lower(),
        }
    elif kind == Kind.ASPIRATION_DECIDED:
        text = _("Proposal “%(proposal)s”: %(outcome)s.") % {
            "proposal": d.get("aspiration_title", ""),
            "outcome": _label(Decision.Outcome, d.get("outcome")).lower(),
        }
    elif kind == Kind.MEMBERSHIP_INVITED:
        text = _("%(organization)s invites you to join as %(role)s.") % {
            "organization": d.get("organization_name", ""),
            "role": _label(Membership.Role, d.get("role")).lower(),
        }
    elif kind == Kind.VOTING_OPENED and d.get("hearing_title"):
        text = _("Live vote in the hearing “%(hearing)s”: %(item)s.") % {
            "hearing": d["hearing_title"],
            "item": d.get("item_title", ""),
        }
    elif kind == Kind.VOTING_OPENED:
        text = _("Voting is open: “%(consultation)s”, until %(closes)s.") % {
            "consultation": consultation,
            "closes": _when(d.get("closes_at")) or "—",
        }
    elif kind == Kind.VOTING_CLOSING:
        text = _(
            "Voting on “%(consultation)s” closes on %(closes)s and your organization has not "
            "voted yet."
        ) % {"consultation": consultation, "closes": _when(d.get("closes_at"))}
    elif kind == Kind.TALLIES_FINAL:
        text = _("Voting on “%(consultation)s” has closed: the final tallies are published.") % {
            "consultation": consultation
        }
    elif kind == Kind.HEARING_SCHEDULED:
        text = _("Hearing “%(hearing)s” on %(when)s%(where)s.") % {
            "hearing": d.get("hearing_title", ""),
            "when": _when(d.get("starts_at")),
            "where": (", " + d["location"]) if d.get("location") else "",
        }
    elif kind == Kind.FOLLOW_UP_RECORDED:
        text = _("Follow-up on your input to “%(consultation)s”: %(status)s, %(progress)s%%.") % {
            "consultation": consultation,
            "status": str(FOLLOW_UP_STATUS.get(d.get("status"), d.get("status", ""))),
            "progress": d.get("progress", 0),
        }
    elif kind == Kind.MODERATION_WAITING:
        count = int(d.get("count", 0))
        text = ngettext(
            "%(count)d comment is waiting for moderation.",
            "%(count)d comments are waiting for moderation.",
            count,
        ) % {"count": count}
    else:
        raise ValueError(f"unknown notification kind {kind!r}")
    return text[:300]


def details(kind: str, data: dict) -> list[str]:
    """Further lines for the page and the e-mail: the reason, the quoted comment."""
    lines = []
    if data.get("reason"):
        if kind in (Kind.COMMENT_REJECTED, Kind.COMMENT_HIDDEN):
            lines.append(_("Moderator's reason: %(reason)s") % {"reason": data["reason"]})
        else:
            lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
    if data.get("response_body"):
        lines.append(_("Response: %(body)s") % {"body": data["response_body"]})
    if kind == Kind.FOLLOW_UP_RECORDED and data.get("note"):
        lines.append(_("What was done: %(note)s") % {"note": data["note"]})
    if data.get("comment_excerpt"):
        lines.append(_("Your comment: “%(excerpt)s”") % {"excerpt": data["comment_excerpt"]})
    if kind == Kind.HEARING_SCHEDULED and data.get("consultation_title"):
        lines.append(_("Consultation: %(title)s") % {"title": data["consultation_title"]})
    return lines
