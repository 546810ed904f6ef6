"""Hostile text stays inert on every comment page and in every API answer.

Each payload goes in where users type: comment bodies, names, organization names,
report and moderation reasons, responses, headings. Pages are parsed as HTML and
must contain no element, attribute or URL the payloads tried to smuggle in.
"""

import json
from html import escape as html_escape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import (
    CommentFactory,
    CommentReportFactory,
    ConsultationFactory,
    MembershipFactory,
    OrganizationFactory,
    ResponseFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">klik di sini</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "{{ 7|add:7 }} {% debug %} {{ request.META }}",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;",
    "\u202egnp.exe \u202d teks terbalik",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;avascript:alert(1)">entitas</a>',
    '<div style="width:expression(alert(1))">gaya</div>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>kirim</button></form>',
    '<video><source onerror="alert(1)"></video>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "${alert(1)} `${document.cookie}`",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<svg><script>alert&#40;1&#41;</script></svg>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '\\"-alert(1)-\\"',
    "</script><script>alert(1)</script>",
    "data:text/html,<script>alert(1)</script>",
    "<a href=//evil.example/>tautan</a>",
    "java\u200bscript:alert(1) zero\u200dwidth\ufeff",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<marquee onstart=alert(1)>berjalan</marquee>",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
FORBIDDEN_TAGS = {
    "iframe", "object", "embed", "svg", "math", "img", "style", "base", "video", "audio",
    "source", "marquee", "noscript", "frame", "frameset", "applet",
}  # fmt: skip


class InertnessChecker(HTMLParser):
    """Collects anything in a page that could run script or leave the site."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.bodies = 0
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = f"<{tag} {attrs}>"
        if tag in FORBIDDEN_TAGS:
            self.problems.append("tag " + where)
        if tag == "script":
            if not (attrs.get("src") or "").startswith("/static/"):
                self.problems.append("inline script " + where)
            self.in_script = True
        if tag == "meta" and set(attrs) - {"charset", "name", "content"}:
            self.problems.append("meta " + where)
        if tag == "link" and not (
            attrs.get("rel") == "stylesheet" and (attrs.get("href") or "").startswith("/static/")
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
            if name in URL_ATTRIBUTES and value is not None:
                target = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
                if not (target == "" or target[0] in "/#?") or target.startswith("//"):
                    self.problems.append(f"url {name}={value!r} in {where}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append("script content " + data[:60])


def assert_inert(html: str, expect_payloads=()):
    checker = InertnessChecker()
    checker.feed(html)
    checker.close()
    assert checker.problems == []
    assert checker.bodies <= 1
    for payload in expect_payloads:
        assert html_escape(payload) in html.replace("<br>", "\n"), payload


@pytest.fixture
def hostile(member, moderator, official, settings):
    """Every payload as a comment body, an author's name, an organization's name, a report
    reason, a response; plus Dedi's hidden comments whose moderation reasons are payloads."""
    consultation = ConsultationFactory(title=PAYLOADS[0], summary=PAYLOADS[1])
    section = SectionFactory(consultation=consultation, number="Pasal 1", heading=PAYLOADS[3])
    comments = []
    for n, payload in enumerate(PAYLOADS):
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
        body=PAYLOADS[6], published_at=consultation.opens_at,
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
    assert_inert(page_as(client, user, url), expect_payloads=PAYLOADS)


def test_the_thread_filtered_by_stance_is_inert(client, hostile):
    url = reverse("section-comments", args=[hostile["consultation"].pk, hostile["section"].pk])
    assert_inert(page_as(client, None, url + "?stance=oppose&x=%3Cscript%3E"))


def test_a_refused_comment_echoes_the_typed_text_inertly(client, member, hostile):
    consultation = hostile["consultation"]
    client.force_login(member)
    url = reverse("consultation-comments", args=[consultation.pk])
    for payload in PAYLOADS[:8]:
        answer = client.post(url, {"stance": "bogus", "body": payload, "parent": payload[:10]})
        assert answer.status_code == 400
        assert_inert(answer.content.decode(), expect_payloads=[payload])


def test_the_moderation_queue_is_inert(client, moderator, hostile):
    assert_inert(page_as(client, moderator, reverse("moderation-queue")), expect_payloads=PAYLOADS)


def test_my_comments_is_inert(client, member, hostile):
    assert_inert(page_as(client, member, reverse("my-comments")), expect_payloads=PAYLOADS)


def test_the_edit_page_is_inert(client, hostile):
    comment = hostile["comments"][0]
    client.force_login(comment.author)
    for comment in hostile["comments"][:5]:
        client.force_login(comment.author)
        html = page_as(client, None, reverse("comment-edit", args=[comment.pk]))
        assert_inert(html, expect_payloads=[comment.body])


def test_the_response_matrix_is_inert_internally_and_publicly(client, official, hostile):
    consultation = hostile["consultation"]
    url = reverse("response-matrix", args=[consultation.pk])
    assert_inert(page_as(client, official, url), expect_payloads=PAYLOADS)
    consultation.status = "concluded"
    consultation.save()
    client.logout()
    assert_inert(page_as(client, None, url), expect_payloads=PAYLOADS)


def test_the_section_footer_is_inert(hostile, rf, anonymous):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = anonymous
    html = render_to_string(
        "consultations/_section_footer.html", {"section": hostile["section"]}, request=request
    )
    assert_inert(html)


@pytest.mark.parametrize("persona", ["anonymous", "moderator"])
def test_the_api_returns_every_payload_exactly_as_json(persona, request, api_as, hostile):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    answer = api_as(user).get(
        f"/api/v1/comments/?consultation={hostile['consultation'].pk}&page_size=200"
    )
    assert answer["Content-Type"].startswith("application/json")
    rows = json.loads(answer.content)["results"]
    bodies = {row["body"] for row in rows}
    assert set(PAYLOADS) <= bodies
    names = {row["organization_name"] for row in rows}
    assert {p[:200] for p in PAYLOADS} <= names
    responses = {row["response"]["body"] for row in rows if row["response"]}
    assert set(PAYLOADS) <= responses


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
    checker = InertnessChecker()
    checker.feed(html)
    # DRF's own page carries its scripts and links; what matters is that no payload added any.
    injected = [p for p in checker.problems if "alert" in p or "evil" in p or "onerror" in p]
    assert injected == []


def test_posting_every_payload_through_the_api_stores_it_exactly(
    api_as, member, open_consultation, settings
):
    settings.RUANG = {
        **settings.RUANG, "COMMENT_RATE_PER_MINUTE": 1000, "COMMENT_RATE_PER_HOUR": 1000
    }  # fmt: skip
    client = api_as(member)
    for payload in PAYLOADS:
        answer = client.post(
            "/api/v1/comments/",
            {"consultation": open_consultation.pk, "stance": "neutral", "body": payload},
            format="json",
        )
        assert answer.status_code == 201, (payload, answer.content)
        assert answer.json()["body"] == payload
    assert set(Comment.objects.values_list("body", flat=True)) == set(PAYLOADS)


def test_there_are_at_least_thirty_distinct_payloads():
    assert len(set(PAYLOADS)) >= 30
