"""Stored XSS: every payload in every field a user or official can type, on every HTML page
and in every API answer.

Every page: per payload one world — an organization named with it, an open consultation
(title, summary, section, item), a live hearing (title, location, agenda item), a published
hearing comment on the big screen (body) and a speaker request. Every page is rendered for
the persona who sees the most, and must show the payload escaped: never verbatim in markup,
never inside a URL attribute, and in json_script blocks without a raw `<`.

The comment pages: one world with every payload at once — as a comment body, an author's
name, an organization's name, a report reason, a response, a moderation reason, a heading.
These pages carry no script, SVG, style or outside link of their own, so they are held to a
stricter audit: no such element or attribute at all, and every payload shown escaped. The
API gives every payload back exactly as typed, as JSON.

The browser half of this (Chromium, no script runs, WebSocket payloads) is
tests/e2e/test_xss_browser.py.
"""

import json
import re
from html import escape as html_escape
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Membership
from comments.models import Comment
from hearings.models import Hearing
from tests.factories import (
    AgendaItemFactory,
    CommentFactory,
    CommentReportFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    MembershipFactory,
    OrganizationFactory,
    ResponseFactory,
    SectionFactory,
    SpeakerRequestFactory,
    UserFactory,
)
from tests.security.payloads import ALERTS, EVERY_PAYLOAD, PAYLOADS

JSON_SCRIPT = re.compile(
    r'<script id="[^"]*" type="application/json">(.*?)</script>', re.DOTALL | re.IGNORECASE
)
# Constant handlers in our own templates (print buttons): no data flows into them.
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
            if name.startswith("on"):  # ours have none: the CSP would block them
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


COMMENT_PAGE_URL_ATTRIBUTES = URL_ATTRIBUTES | {"srcdoc"}
COMMENT_PAGE_FORBIDDEN_TAGS = {
    "iframe", "object", "embed", "svg", "math", "img", "style", "base", "video", "audio",
    "source", "marquee", "noscript", "frame", "frameset", "applet",
}  # fmt: skip


class CommentPageAudit(HTMLParser):
    """Collects anything in a comment page that could run script or leave the site."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.bodies = 0
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = f"<{tag} {attrs}>"
        if tag in COMMENT_PAGE_FORBIDDEN_TAGS:
            self.problems.append("tag " + where)
        if tag == "script":
            if not (attrs.get("src") or "").startswith("/static/"):
                self.problems.append("inline script " + where)
            self.in_script = True
        if tag == "meta" and set(attrs) - {"charset", "name", "content"}:
            self.problems.append("meta " + where)
        if tag == "link" and not (
            attrs.get("rel") in {"stylesheet", "icon"}
            and (attrs.get("href") or "").startswith("/static/")
        ):
            self.problems.append("link " + where)
        if tag == "body":
            self.bodies += 1
            if attrs:
                self.problems.append("body attributes " + where)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name} in {where}")
            if name == "style":
                self.problems.append("style attribute " + where)
            if name in COMMENT_PAGE_URL_ATTRIBUTES and value is not None:
                target = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
                if not (target == "" or target[0] in "/#?") or target.startswith("//"):
                    self.problems.append(f"url {name}={value!r} in {where}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append("script content " + data[:60])


MARKUP_CHARACTERS = set("<>\"'")


def test_there_are_enough_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50
    assert len(set(ALERTS)) >= 30
    assert set(EVERY_PAYLOAD) == set(PAYLOADS) | set(ALERTS)


# --- every page, one world per payload -------------------------------------------------------


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


# --- the comment pages and the API, every payload in one world --------------------------------


def assert_inert(html: str, expect_payloads=()):
    audit = CommentPageAudit()
    audit.feed(html)
    audit.close()
    assert audit.problems == []
    assert audit.bodies <= 1
    for payload in expect_payloads:
        assert html_escape(payload) in html.replace("<br>", "\n"), payload


@pytest.fixture
def hostile(member, moderator, official, settings):
    """Every payload as a comment body, an author's name, an organization's name, a report
    reason, a response; plus Dedi's hidden comments whose moderation reasons are payloads."""
    consultation = ConsultationFactory(title=EVERY_PAYLOAD[0], summary=EVERY_PAYLOAD[1])
    section = SectionFactory(consultation=consultation, number="Pasal 1", heading=EVERY_PAYLOAD[3])
    comments = []
    for n, payload in enumerate(EVERY_PAYLOAD):
        organization = OrganizationFactory(name=payload[:200], acronym="X")
        author = MembershipFactory(
            user=UserFactory(username=f"penyerang{n}", first_name=payload[:150]),
            organization=organization,
        ).user
        comment = CommentFactory(
            consultation=consultation,
            section=section,
            author=author,
            organization=organization,
            body=payload,
            stance=Comment.Stance.values[n % 4],
        )
        CommentFactory(consultation=consultation, section=section, parent=comment, body=payload)
        CommentReportFactory(comment=comment, reporter=member, reason=payload[:500])
        ResponseFactory(
            comment=comment, responder=official, body=payload, published_at=comment.created_at
        )
        CommentFactory(
            consultation=consultation,
            section=section,
            author=member,
            body=payload,
            status=Comment.Status.HIDDEN,
            moderation_reason=payload[:500],
        )
        comments.append(comment)
    ResponseFactory(
        comment=None, section=section, consultation=consultation, responder=official,
        body=EVERY_PAYLOAD[6], published_at=consultation.opens_at,
    )  # fmt: skip
    return {"consultation": consultation, "section": section, "comments": comments}


def page_as(client, user, url):
    if user is not None:
        client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "member", "moderator", "official"])
def test_the_section_thread_is_inert_for_every_reader(persona, request, client, hostile):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    url = reverse("section-comments", args=[hostile["consultation"].pk, hostile["section"].pk])
    assert_inert(page_as(client, user, url), expect_payloads=EVERY_PAYLOAD)


def test_the_thread_filtered_by_stance_is_inert(client, hostile):
    url = reverse("section-comments", args=[hostile["consultation"].pk, hostile["section"].pk])
    assert_inert(page_as(client, None, url + "?stance=oppose&x=%3Cscript%3E"))


def test_a_refused_comment_echoes_the_typed_text_inertly(client, member, hostile):
    consultation = hostile["consultation"]
    client.force_login(member)
    url = reverse("consultation-comments", args=[consultation.pk])
    for payload in EVERY_PAYLOAD[:8]:
        answer = client.post(url, {"stance": "bogus", "body": payload, "parent": payload[:10]})
        assert answer.status_code == 400
        assert_inert(answer.content.decode(), expect_payloads=[payload])


def test_the_moderation_queue_is_inert(client, moderator, hostile):
    html = page_as(client, moderator, reverse("moderation-queue"))
    assert_inert(html, expect_payloads=EVERY_PAYLOAD)


def test_my_comments_is_inert(client, member, hostile):
    assert_inert(page_as(client, member, reverse("my-comments")), expect_payloads=EVERY_PAYLOAD)


def test_the_edit_page_is_inert(client, hostile):
    for comment in hostile["comments"][:5]:
        client.force_login(comment.author)
        html = page_as(client, None, reverse("comment-edit", args=[comment.pk]))
        assert_inert(html, expect_payloads=[comment.body])


def test_the_response_matrix_is_inert_internally_and_publicly(client, official, hostile):
    consultation = hostile["consultation"]
    url = reverse("response-matrix", args=[consultation.pk])
    assert_inert(page_as(client, official, url), expect_payloads=EVERY_PAYLOAD)
    consultation.status = "concluded"
    consultation.save()
    client.logout()
    assert_inert(page_as(client, None, url), expect_payloads=EVERY_PAYLOAD)


def test_the_section_footer_is_inert(hostile, rf, anonymous):
    request = rf.get("/")
    request.user = anonymous
    html = render_to_string(
        "consultations/_section_footer.html", {"section": hostile["section"]}, request=request
    )
    assert_inert(html)


def every_row(client, url: str) -> list[dict]:
    """Every page of a paginated list, each page checked to be JSON."""
    rows = []
    while url:
        answer = client.get(url)
        assert answer["Content-Type"].startswith("application/json")
        page = json.loads(answer.content)
        rows += page["results"]
        url = page["next"]
    return rows


@pytest.mark.parametrize("persona", ["anonymous", "moderator"])
def test_the_api_returns_every_payload_exactly_as_json(persona, request, api_as, hostile):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    rows = every_row(
        api_as(user), f"/api/v1/comments/?consultation={hostile['consultation'].pk}&page_size=200"
    )
    bodies = {row["body"] for row in rows}
    assert set(EVERY_PAYLOAD) <= bodies
    names = {row["organization_name"] for row in rows}
    assert {p[:200] for p in EVERY_PAYLOAD} <= names
    responses = {row["response"]["body"] for row in rows if row["response"]}
    assert set(EVERY_PAYLOAD) <= responses


def test_the_api_detail_is_json_and_nosniff(api_as, hostile):
    comment = hostile["comments"][0]
    answer = api_as(None).get(f"/api/v1/comments/{comment.pk}/")
    assert answer["Content-Type"].startswith("application/json")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer.json()["body"] == comment.body


def test_the_browsable_api_page_is_inert(client, hostile):
    answer = client.get(
        f"/api/v1/comments/?consultation={hostile['consultation'].pk}&page_size=200",
        HTTP_ACCEPT="text/html",
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    audit = CommentPageAudit()
    audit.feed(html)
    # DRF's own page carries its scripts and links; what matters is that no payload added any.
    injected = [p for p in audit.problems if re.search("alert|__xss|evil|onerror", p)]
    assert injected == []


def test_posting_every_payload_through_the_api_stores_it_exactly(
    api_as, member, open_consultation, generous_limits
):
    client = api_as(member)
    for payload in EVERY_PAYLOAD:
        answer = client.post(
            "/api/v1/comments/",
            {"consultation": open_consultation.pk, "stance": "neutral", "body": payload},
            format="json",
        )
        assert answer.status_code == 201, (payload, answer.content)
        assert answer.json()["body"] == payload
    assert set(Comment.objects.values_list("body", flat=True)) == set(EVERY_PAYLOAD)
