"""Who may open which stream, decided once at connect (docs/REALTIME.md, close codes),
and from which web page (the Origin check in front of every socket).

Public consultations and their hearings: anyone. Drafts: staff roles (others get
4404, as the REST API answers 404). `?key=` must be
the hearing's current display key. `?view=moderator`: moderators and officials, who
also receive moderation events (pending comments).
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.translation import gettext as _

from accounts import permissions
from backend.errors import Invalid, NotAllowed, NotFound
from consultations import permissions as consultations_permissions
from consultations.models import Consultation
from hearings import permissions as hearings_permissions
from hearings.models import Hearing
from realtime import events

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a serialized origin such as `https://example.org:8443`, or
    None when it is not one (`null`, a path, user info, an unknown scheme)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    if parts.path or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _is_secure(scope, headers: dict) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER  # as Django's request.is_secure() trusts it
    if proxy:
        name = proxy[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
        return headers.get(name, b"").decode("latin-1").split(",")[0].strip() == proxy[1]
    return False


def origin_allowed(scope) -> bool:
    """Cross-site WebSocket hijacking guard, the rule of Django's CSRF Origin check: the
    browser's Origin must equal this site's own origin — scheme, host *and* port, the host
    being one of ALLOWED_HOSTS — or be listed in CSRF_TRUSTED_ORIGINS. A page served from
    another port of the same host is another origin (another program) and is refused."""
    headers: dict[bytes, bytes] = {}
    for name, value in scope.get("headers") or ():
        if name in headers and name in (b"origin", b"host"):
            return False  # two answers to one question: refuse rather than pick one
        headers[name] = value
    try:
        origin = _origin(headers.get(b"origin", b"").decode("ascii"))
        host = headers.get(b"host", b"").decode("ascii")
    except UnicodeDecodeError:
        return False
    if origin is None:
        return False
    if origin in {_origin(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    return origin == _origin(f"{'https' if _is_secure(scope, headers) else 'http'}://{host}")


class SameOriginValidator:
    """ASGI middleware: refuses (HTTP 403, before the handshake) a WebSocket whose Origin
    is not ours (`origin_allowed`); everything else goes on to `application`."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close"})
            return None
        return await self.application(scope, receive, send)


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
