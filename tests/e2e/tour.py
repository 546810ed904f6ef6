"""A tour of every HTML page of the site, on a phone, as the persona who may see it.

The pages come from the URL conf: `PAGES` says, for each named route, who opens it and on
which demo object; `NOT_PAGES` lists the routes that are not pages (form targets, files,
the API). A new route in neither fails `test_every_route_is_in_the_tour`, so the
accessibility and overflow checks grow with the site.

One Chromium, one signed-in context per persona, one visit per page: the visit measures the
horizontal overflow and runs axe-core (the copy bundled in axe-playwright-python, evaluated
in the page so the Content-Security-Policy does not apply to it). The two test modules
read the same visits (the session fixture `page_tour` in conftest.py), so the tour runs
once per test run.
"""

import json
import re
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PHONE = {"width": 390, "height": 844}
# WCAG 2.1 A and AA; "serious" and "critical" violations fail the tour.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

# route name -> (persona, path arguments as names of demo objects). "anonymous" is signed out.
PAGES = {
    "home": ("anonymous", {}),
    "login": ("anonymous", {}),
    "admin:login": ("anonymous", {}),
    "password_reset": ("anonymous", {}),
    "password_reset_done": ("anonymous", {}),
    "password_reset_confirm": ("anonymous", {"uidb64": "MQ", "token": "invalid-link"}),
    "password_reset_complete": ("anonymous", {}),
    "password_change": ("warga", {}),
    "password_change_done": ("warga", {}),
    "citizen-sign-up": ("anonymous", {}),
    "organization-register": ("anonymous", {}),
    "consultation-list": ("anonymous", {}),
    "consultation-detail": ("anonymous", {"pk": "policy"}),
    "consultation-comments": ("pelita.anggota", {"pk": "policy"}),
    "section-comments": ("pelita.anggota", {"pk": "policy", "section_id": "section"}),
    "comment-edit": ("author", {"comment_id": "own_comment"}),
    "my-comments": ("pelita.anggota", {}),
    "moderation-queue": ("moderator", {}),
    "response-matrix": ("planner", {"pk": "policy"}),
    "my-organization": ("pelita", {}),
    "receipt-check": ("anonymous", {}),
    "hearing-list": ("anonymous", {}),
    "hearing-room": ("pelita", {"hearing_id": "hearing"}),
    "hearing-console": ("moderator", {"hearing_id": "hearing"}),
    "hearing-invitations": ("bappeda", {"hearing_id": "hearing"}),
    "aspirations": ("anonymous", {}),
    "aspiration-new": ("warga", {}),
    "my-aspirations": ("warga", {}),
    "aspiration-triage": ("lurah.panggungrejo", {}),
    "aspiration-ranking": ("camat.panggungrejo", {}),
    "programme-aspirations": ("planner", {"item_id": "programme"}),
    "aspiration-page": ("anonymous", {"pk": "aspiration"}),
    "aspiration-edit": ("aspiration_author", {"pk": "aspiration"}),
    "aspiration-versions": ("anonymous", {"pk": "aspiration"}),
    "consultation-comment-import": ("bappeda", {"pk": "policy"}),
    "consultation-follow-ups": ("anonymous", {"consultation_id": "concluded"}),
    "privacy-notice": ("anonymous", {}),
    "privacy-accept": ("warga", {}),
    "privacy-mine": ("warga", {}),
    "dashboards": ("planner", {}),
    "consultation-dashboard": ("planner", {"consultation_id": "policy"}),
    "consultation-final-report": ("planner", {"consultation_id": "concluded"}),
    "hearing-minutes": ("planner", {"hearing_id": "hearing"}),
    "notifications": ("pelita.anggota", {}),
}
# Routes that are no page: form targets (POST only), files, redirects, the big screen's
# display-key page (checked in tests/e2e for the screen), the API and the admin behind login.
NOT_PAGES = {
    "set_language",
    "favicon",
    "logout",
    "hearing-check-in",
    "hearing-screen",
    "hearing-screen-qr",
    "hearing-invitation-reply-page",
    "vote-submit",
    "consultation-close-page",
    "comment-report",
    "comment-delete",
    "comment-moderate",
    "comment-respond",
    "responses-publish",
    "aspiration-support-page",
    "aspiration-decide-page",
    "aspiration-score-page",
    "consultation-theme-respond-page",
    "consultation-group-respond-page",
    "consultation-analysis-refresh",
    "privacy-download",
    "privacy-delete",  # GET shows privacy-mine, where the deletion form is
    "hearing-minutes-agreements",
    "voting:vote-submit",
    "notification-open",
    "notifications-read-all",
    "notification-preferences-save",
    "notification-unsubscribe",
}
NOT_PAGE_PREFIXES = ("api/", "admin/", "i18n/", "data/", "static/")

# The demo objects the pages are opened on, looked up in the server's own database.
LOOKUP = """
import json
from django.contrib.auth import get_user_model
from aspirations.models import Aspiration
from comments.models import Comment
from consultations.models import Consultation, Item, Section
from hearings.models import Hearing
C = Consultation.objects
policy = C.filter(kind="policy_draft").exclude(status__in=["draft", "concluded"]).order_by("pk")[0]
rpjmd = C.filter(kind="rpjmd").order_by("pk")[0]
comment = Comment.objects.filter(consultation=policy, author__username="pelita.anggota",
                                 parent=None, status="published").order_by("pk")[0]
aspiration = next(a for a in Aspiration.objects.exclude(author=None).filter(status="submitted")
                  .order_by("pk") if not a.is_decided)
print(json.dumps({
    "policy": policy.pk,
    "section": Section.objects.filter(consultation=policy).order_by("pk")[0].pk,
    "concluded": C.filter(status="concluded").order_by("pk")[0].pk,
    "programme": Item.objects.filter(consultation=rpjmd).order_by("pk")[0].pk,
    "hearing": Hearing.objects.order_by("pk")[0].pk,
    "own_comment": comment.pk,
    "author": comment.author.username,
    "aspiration": aspiration.pk,
    "aspiration_author": aspiration.author.username,
}))
"""


def routes():
    """(name, path pattern) of every named route, from the URL conf."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = f"{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), space)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def unclassified_routes() -> list[str]:
    missing = []
    for name, path in routes():
        if name in PAGES or name in NOT_PAGES or path.startswith(NOT_PAGE_PREFIXES):
            continue
        missing.append(f"{name} ({path})")
    return sorted(set(missing))


def page_paths() -> dict[str, str]:
    """route name -> path pattern, for the routes of PAGES that exist."""
    known = {}
    for name, path in routes():
        if not path.startswith("api/"):
            known.setdefault(name, path)
    return {name: known[name] for name in PAGES if name in known}


def fill(pattern: str, arguments: dict, objects: dict) -> str:
    def value(match):
        name = match.group(1).split(":")[-1]
        given = arguments[name]
        return str(objects.get(given, given))

    return "/" + re.sub(r"<([^>]+)>", value, pattern)


@dataclass
class Visit:
    route: str
    persona: str
    url: str
    status: int
    final_url: str
    scroll_width: int
    inner_width: int
    violations: list = field(default_factory=list)

    @property
    def overflows(self) -> bool:
        return self.scroll_width > self.inner_width


def axe_source() -> str:
    """axe-core as axe-playwright-python bundles it (no npm, no network)."""
    package = find_spec("axe_playwright_python")
    assert package is not None, "pip install axe-playwright-python (the [test] extra)"
    return (Path(package.origin).parent / "axe.min.js").read_text()


def run_axe(page, source: str) -> list:
    page.evaluate(source)
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [", ".join(map(str, n["target"])) for n in v["nodes"][:5]],
            "html": [n["html"][:160] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


def sign_in(context, base_url: str, username: str, password: str) -> None:
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/privasi/setuju/" in page.url:  # a first sign-in accepts the privacy notice first
        page.check("input[name=agree]")
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("networkidle")
    page.close()


def take_tour(
    browser, server, password: str, language: str = "id", shots: Path | None = None
) -> list[Visit]:
    objects = json.loads(server.manage("shell", "-c", LOOKUP).stdout.strip().splitlines()[-1])
    source = axe_source()
    by_persona: dict[str, list[tuple[str, str]]] = {}
    for name, pattern in page_paths().items():
        persona, arguments = PAGES[name]
        persona = objects.get(persona, persona)
        by_persona.setdefault(persona, []).append((name, fill(pattern, arguments, objects)))
    visits = []
    for persona, pages in by_persona.items():
        context = browser.new_context(viewport=PHONE, locale=f"{language}-ID")
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
        if persona != "anonymous":
            sign_in(context, server.url, persona, password)
        page = context.new_page()
        for name, url in pages:
            response = page.goto(server.url + url, wait_until="load")
            page.wait_for_timeout(150)  # live pages fill in from their WebSocket snapshot
            width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
            visit = Visit(
                route=name,
                persona=persona,
                url=url,
                status=response.status if response else 0,
                final_url=page.url.removeprefix(server.url),
                scroll_width=width[0],
                inner_width=width[1],
            )
            visit.violations = run_axe(page, source)
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(shots / f"{name.replace(':', '-')}-{language}-390.png"), full_page=True
                )
            visits.append(visit)
        context.close()
    return visits
