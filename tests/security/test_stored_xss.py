"""Stored XSS: every payload in every field a user or official can type, on every HTML page.

Per payload one world: an organization named with it, an open consultation (title,
summary, section, item), a live hearing (title, location, agenda item), a published
hearing comment on the big screen (body) and a speaker request. Every page is rendered
for the persona who sees the most, and must show the payload escaped: never verbatim in
markup, never inside a URL attribute, and in json_script blocks without a raw `<`.
The browser half of this (Chromium, no script runs, WebSocket payloads) is
tests/e2e/test_xss_browser.py.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Membership
from hearings.models import Hearing
from tests.factories import (
    AgendaItemFactory,
    CommentFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    MembershipFactory,
    OrganizationFactory,
    SectionFactory,
    SpeakerRequestFactory,
    UserFactory,
)
from tests.security.payloads import PAYLOADS

JSON_SCRIPT = re.compile(
    r'<script id="[^"]*" type="application/json">(.*?)</script>', re.DOTALL | re.IGNORECASE
)
# Constant handlers in our own templates (print buttons): no data flows into them.
OUR_HANDLERS = {("onclick", "window.print()")}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Our templates use none of these; a payload that turned into markup would. (Inline SVG is
# ours, on the dashboard: inside it handlers, script URLs and <script> are still caught.)
FOREIGN_TAGS = {"iframe", "object", "embed", "base", "frame", "applet", "math", "marquee"}


class MarkupAudit(HTMLParser):
    """Collects every element the browser would build that could run script."""

    def __init__(self, *, strict: bool = True):
        super().__init__(convert_charrefs=True)
        self.problems = []
        # Django's admin ships its own inline script and SVG icons; there only handlers
        # and script URLs are checked (and the verbatim test above).
        self.strict = strict

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and (name, value) not in OUR_HANDLERS:
                self.problems.append(f"<{tag} {name}=...> event handler")
            value = re.sub(r"[\x00-\x20]", "", (value or "")).lower()
            if name in URL_ATTRIBUTES and value.startswith(SCRIPT_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
        if not self.strict:
            return
        if tag in FOREIGN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            attributes = dict(attrs)
            ours = (attributes.get("src") or "").startswith("/static/")
            if not ours and attributes.get("type") != "application/json":
                self.problems.append("inline <script>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")


MARKUP_CHARACTERS = set("<>\"'")


def test_there_are_at_least_fifty_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def build_world(payload: str, moderator, official):
    organization = OrganizationFactory(name=payload[:200], acronym="XSS")
    representative = MembershipFactory(
        user=UserFactory(username="wakil", first_name=payload[:150]),
        organization=organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user
    consultation = ConsultationFactory(title=payload, summary=payload)
    section = SectionFactory(
        consultation=consultation, number="Pasal 1", heading=payload, body=payload
    )
    item = ItemFactory(consultation=consultation, title=payload, description=payload)
    hearing = HearingFactory(
        consultation=consultation,
        title=payload,
        location=payload,
        status=Hearing.Status.LIVE,
        started_at=timezone.now(),
        display_key="kunci-layar-xss",
    )
    agenda_item = AgendaItemFactory(hearing=hearing, title=payload, item=item, position=1)
    hearing.current_agenda_item = agenda_item
    hearing.save(update_fields=["current_agenda_item"])
    CommentFactory(
        consultation=consultation,
        hearing=hearing,
        author=representative,
        organization=organization,
        body=payload,
        on_screen_at=timezone.now(),
    )
    comment = CommentFactory(
        consultation=consultation, section=section, author=representative, body=payload
    )
    CommentFactory(
        consultation=consultation,
        author=representative,
        organization=organization,
        body=payload,
        status="pending",
    )
    SpeakerRequestFactory(hearing=hearing, organization=organization, requested_by=representative)
    return {
        "organization": organization,
        "representative": representative,
        "consultation": consultation,
        "hearing": hearing,
        "section": section,
        "comment": comment,
    }


def pages(w: dict, moderator, official, superuser):
    c, h = w["consultation"], w["hearing"]
    return [
        ("/", None),
        ("/konsultasi/", None),
        (f"/konsultasi/{c.pk}/", None),
        (f"/konsultasi/{c.pk}/", official),
        (f"/konsultasi/{c.pk}/", w["representative"]),
        ("/organisasi/saya/", w["representative"]),
        ("/organisasi/daftar/", None),
        ("/hearings/", None),
        (f"/hearings/{h.pk}/", None),
        (f"/hearings/{h.pk}/", w["representative"]),
        (f"/hearings/{h.pk}/screen/?key={h.display_key}", None),
        (f"/hearings/{h.pk}/console/", moderator),
        (f"/hearings/{h.pk}/minutes/", official),
        (f"/konsultasi/{c.pk}/komentar/", None),
        (f"/konsultasi/{c.pk}/bagian/{w['section'].pk}/komentar/", None),
        (f"/konsultasi/{c.pk}/dasbor/", official),
        (f"/konsultasi/{c.pk}/tanggapan/", official),
        (f"/komentar/{w['comment'].pk}/ubah/", w["representative"]),
        ("/komentar/saya/", w["representative"]),
        ("/moderasi/", moderator),
        ("/admin/accounts/organization/", superuser),
        (f"/admin/accounts/organization/{w['organization'].pk}/change/", superuser),
        ("/admin/hearings/hearing/", superuser),
    ]


def render(path: str, user) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def assert_escaped(html: str, payload: str, where: str):
    for block in JSON_SCRIPT.findall(html):
        assert "<" not in block, f"raw < inside a json_script block on {where}"
    markup = JSON_SCRIPT.sub("", html)
    if MARKUP_CHARACTERS & set(payload):
        assert payload not in markup, f"payload verbatim on {where}"
    audit = MarkupAudit(strict=not where.startswith("/admin/"))
    audit.feed(html)
    assert not audit.problems, f"{where}: {audit.problems}"


# Pages that must show the payload (so the test is not passing on pages that show nothing).
MUST_SHOW = {"/konsultasi/", "/hearings/", "/organisasi/saya/"}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_is_escaped_on_every_page(payload, moderator, official, superuser):
    world = build_world(payload, moderator, official)
    shown = 0
    for path, user in pages(world, moderator, official, superuser):
        where = f"{path} as {getattr(user, 'username', 'anonymous')}"
        html = render(path, user)
        assert_escaped(html, payload, where)
        if escape(payload) in html:
            shown += 1
        elif path in MUST_SHOW:
            raise AssertionError(f"{where} does not show the payload at all")
    assert shown >= 8
