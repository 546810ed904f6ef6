"""Who may open which stream, decided once at connect (docs/REALTIME.md, close codes).

Public consultations and their hearings: anyone. Drafts: staff roles (others get
4404, as the REST API answers 404). `?key=` must be
the hearing's current display key. `?view=moderator`: moderators and officials, who
also receive moderation events (pending comments).
"""

from dataclasses import dataclass
from urllib.parse import parse_qs

from django.utils.translation import gettext as _

from accounts import permissions
from backend.errors import Invalid, NotAllowed, NotFound
from consultations import permissions as consultations_permissions
from consultations.models import Consultation
from hearings import permissions as hearings_permissions
from hearings.models import Hearing
from realtime import events


@dataclass(frozen=True)
class Query:
    after: int | None = None
    key: str | None = None
    view: str = "public"


@dataclass(frozen=True)
class Access:
    kind: str
    obj: object
    stream: str
    audiences: frozenset
    credential: str  # "user" or "display_key"


def parse_query(query_string: bytes) -> Query:
    try:
        params = parse_qs(query_string.decode("ascii"), strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise Invalid(_("The query string is not valid.")) from exc
    after = params.get("after", [None])[-1]
    if after is not None:
        if not after.isdigit() or len(after) > 18:
            raise Invalid(_("`after` must be a whole number of 0 or more."), field="after")
        after = int(after)
    view = params.get("view", ["public"])[-1]
    if view not in ("public", "moderator"):
        raise Invalid(_("Unknown view."), field="view")
    key = params.get("key", [None])[-1]
    return Query(after=after, key=key, view=view)


def can_watch_moderation(user) -> bool:
    return permissions.is_moderator(user) or permissions.is_official(user)


def authorize(kind: str, pk: int, user, query: Query) -> Access:
    """Raises NotFound (4404), NotAllowed (4403) or Invalid (4400)."""
    if kind == "hearing":
        obj = Hearing.objects.select_related("consultation").filter(pk=pk).first()
        consultation = obj.consultation if obj else None
    elif kind == "consultation":
        obj = consultation = Consultation.objects.filter(pk=pk).first()
    else:  # pragma: no cover - routing only knows these two
        raise NotFound(_("Unknown stream."))
    if obj is None:
        raise NotFound(_("Not found."))

    credential = "user"
    if query.key is not None:
        if kind != "hearing" or not hearings_permissions.can_use_display_key(obj, query.key):
            raise NotAllowed(_("This display key is not valid (any more)."))
        credential = "display_key"
    elif not consultations_permissions.can_view_consultation(user, consultation):
        # Like the REST API: a draft does not exist for those who may not see it.
        raise NotFound(_("Not found."))

    audiences = events.AUDIENCES[events.PUBLIC]
    if query.view == "moderator":
        if credential != "user" or not can_watch_moderation(user):
            raise NotAllowed(_("Only moderators may open the moderator view."))
        audiences = events.AUDIENCES[events.MODERATION]
    return Access(kind=kind, obj=obj, stream=obj.stream, audiences=audiences, credential=credential)
