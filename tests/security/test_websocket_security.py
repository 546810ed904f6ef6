"""WebSocket routes × personas, and cross-site WebSocket hijacking, against the real ASGI app.

Every route in realtime/routing.py must have rows in EXPECTED (a new route fails
`test_every_websocket_route_is_classified`). A row is one way of opening the route (public
view of an open consultation, moderator view, a draft) and names what each persona gets:
"ok" (accepted, first message is the snapshot) or the close code (docs/REALTIME.md).

Origin policy (decided here, enforced by realtime.access.SameOriginValidator in
backend/asgi.py): a handshake is accepted only when its Origin is the site's own origin
(scheme, host and port of the request, the host in ALLOWED_HOSTS) or one of
CSRF_TRUSTED_ORIGINS. A foreign Origin, another port of our host, `null` (sandboxed
iframes, file://), a look-alike host and a *missing* Origin are all refused before the
consumer runs. Browsers always send
Origin on WebSocket handshakes, so refusing a missing one costs browsers nothing and
stops a page-less attacker from replaying a stolen cookie without naming a site;
non-browser clients (bench/fanout.py, kiosks) must send `Origin: https://<our host>`
(with the port, when it is not the scheme's default).
"""

import pytest
from channels.db import database_sync_to_async
from django.urls import URLPattern

from consultations.models import Consultation
from realtime.routing import websocket_urlpatterns
from tests.factories import ConsultationFactory, HearingFactory
from tests.realtime.conftest import (
    fresh_relays,  # noqa: F401 - fixture
    open_socket,
    receive,
    receive_until_closed,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_relays")]

PERSONAS = (
    "anonymous",
    "unverified_member",
    "member",
    "representative",
    "other_representative",
    "moderator",
    "official",
    "planner",
    "display_key",
)

# (route, variant): outcomes in PERSONAS order
#                                             anon  unv   mem   rep   oth   mod   off   pla   key
EXPECTED = {
    ("ws/hearings/<int:pk>/", "open"): "ok ok ok ok ok ok ok ok ok",
    ("ws/hearings/<int:pk>/", "moderator"): "4403 4403 4403 4403 4403 ok ok 4403 4403",
    # a hearing of a draft consultation: only staff, and its big screen
    ("ws/hearings/<int:pk>/", "draft"): "4404 4404 4404 4404 4404 ok ok ok ok",
    # a consultation stream takes no display key
    ("ws/consultations/<int:pk>/", "open"): "ok ok ok ok ok ok ok ok 4403",
    ("ws/consultations/<int:pk>/", "draft"): "4404 4404 4404 4404 4404 ok ok ok 4403",
}


def test_every_websocket_route_is_classified():
    routes = {str(p.pattern) for p in websocket_urlpatterns if isinstance(p, URLPattern)}
    assert routes == {route for route, _ in EXPECTED}


@database_sync_to_async
def build_world(personas):
    open_consultation = ConsultationFactory()
    draft = ConsultationFactory(status=Consultation.Status.DRAFT, published_at=None)
    hearings = {
        "open": HearingFactory(consultation=open_consultation, display_key="kunci-layar-buka"),
        "draft": HearingFactory(consultation=draft, display_key="kunci-layar-draf"),
    }
    return {"consultation": open_consultation, "draft": draft, "hearings": hearings}


def path_for(route: str, variant: str, world: dict, persona: str) -> str:
    if route.startswith("ws/hearings"):
        hearing = world["hearings"]["draft" if variant == "draft" else "open"]
        path = f"/ws/hearings/{hearing.pk}/"
        query = ["view=moderator"] if variant == "moderator" else []
        if persona == "display_key":
            query.append(f"key={hearing.display_key}")
    else:
        consultation = world["draft" if variant == "draft" else "consultation"]
        path = f"/ws/consultations/{consultation.pk}/"
        query = ["key=kunci-layar-buka"] if persona == "display_key" else []
    return path + ("?" + "&".join(query) if query else "")


async def outcome(path: str, user) -> str:
    ws, connected, code = await open_socket(path, user=user)
    try:
        if not connected:
            return f"refused:{code}"
        message = await receive_until_closed(ws)
        if isinstance(message, tuple):
            return str(message[1])
        return "ok" if message["type"] == "snapshot" else f"unexpected:{message['type']}"
    finally:
        await ws.disconnect()


@pytest.fixture
def personas(
    representative, member, other_representative, unverified_member, moderator, official, planner
):
    return {
        "anonymous": None,
        "unverified_member": unverified_member,
        "member": member,
        "representative": representative,
        "other_representative": other_representative,
        "moderator": moderator,
        "official": official,
        "planner": planner,
        "display_key": None,
    }


@pytest.mark.parametrize(
    ("route", "variant"), [pytest.param(*key, id="-".join(key)) for key in EXPECTED]
)
async def test_every_persona_gets_the_expected_answer_on_the_stream(route, variant, personas):
    world = await build_world(personas)
    got = []
    for persona in PERSONAS:
        got.append(await outcome(path_for(route, variant, world, persona), personas[persona]))
    assert " ".join(got) == EXPECTED[(route, variant)], f"{PERSONAS}"


# --- cross-site WebSocket hijacking ----------------------------------------------------------

HOSTILE_ORIGINS = [
    pytest.param(b"https://evil.example", id="foreign"),
    pytest.param(b"null", id="null"),
    pytest.param(None, id="missing"),
    pytest.param(b"https://127.0.0.1.evil.example", id="look-alike-subdomain"),
    pytest.param(b"https://localhost.evil.example", id="look-alike-localhost"),
    pytest.param(b"https://evil.example:443", id="foreign-with-port"),
    pytest.param(b"http://evil-localhost", id="suffix"),
    pytest.param(b"https://localhost@evil.example", id="userinfo-trick"),
    pytest.param(b"", id="empty"),
    pytest.param(b"javascript:alert(1)", id="not-a-url"),
    pytest.param(b"http://localhost:9999", id="another-port-of-our-host"),
    pytest.param(b"https://localhost", id="another-scheme-of-our-host"),
]


async def refused(path: str, *, user, origin) -> bool:
    ws, connected, _ = await open_socket(path, user=user, origin=origin)
    try:
        return not connected
    finally:
        await ws.disconnect()


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
async def test_a_valid_session_from_a_hostile_origin_is_refused_on_every_route(origin, moderator):
    """The moderator's cookie would open the moderator view (pending comments): not from there."""
    world = await build_world(None)
    hearing = world["hearings"]["open"]
    paths = [
        f"/ws/hearings/{hearing.pk}/?view=moderator",
        f"/ws/hearings/{hearing.pk}/",
        f"/ws/consultations/{world['draft'].pk}/",
    ]
    for path in paths:
        assert await refused(path, user=moderator, origin=origin), path


@pytest.mark.parametrize(
    "host, origin",
    [(b"localhost", b"http://localhost"), (b"127.0.0.1:8000", b"http://127.0.0.1:8000")],
)
async def test_our_own_origins_are_accepted(host, origin, moderator):
    world = await build_world(None)
    hearing = world["hearings"]["open"]
    ws, connected, code = await open_socket(
        f"/ws/hearings/{hearing.pk}/?view=moderator", user=moderator, origin=origin, host=host
    )
    try:
        assert connected, code
        assert (await receive(ws))["type"] == "snapshot"
    finally:
        await ws.disconnect()


async def test_a_display_key_does_not_bypass_the_origin_check():
    world = await build_world(None)
    hearing = world["hearings"]["draft"]
    path = f"/ws/hearings/{hearing.pk}/?key={hearing.display_key}"
    assert await refused(path, user=None, origin=b"https://evil.example")


async def test_a_forged_host_header_does_not_make_a_foreign_origin_ours(moderator):
    """A Host outside ALLOWED_HOSTS never makes its own origin ours."""
    from channels.testing import WebsocketCommunicator

    from backend.asgi import application
    from tests.realtime.conftest import session_cookie

    world = await build_world(None)
    hearing = world["hearings"]["open"]
    cookie = await database_sync_to_async(session_cookie)(moderator)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/hearings/{hearing.pk}/?view=moderator",
        headers=[
            (b"host", b"evil.example"),
            (b"origin", b"https://evil.example"),
            (b"cookie", cookie),
        ],
    )
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    assert not connected
