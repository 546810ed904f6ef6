"""No 500 for any input (issue 14, requirement 10): ids in paths and filters are bounded,
request JSON has a depth limit, and display keys of any text compare safely.

A 20-digit id overflowed SQLite's driver (and PostgreSQL's bigint) wherever a view
filtered a foreign key by it; every route is tried here, from the URL conf, so a new
route is covered without an entry.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from hearings import permissions as hearings_permissions
from tests.factories import CommentFactory, HearingFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # 20 digits: more than any 64-bit id
SKIPPED_PREFIXES = ("admin/", "i18n/", "api/schema/", "api/docs/", "accounts/")
WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _fill(match) -> str:
    """A 20-digit number for every id-like parameter, a valid word for the others."""
    regex_name, regex_body, converter, route_name = match.groups()
    if route_name:  # <converter:name>
        return "x" * 8 if converter in ("str", "slug") else HUGE
    if "|" in regex_body:  # (?P<verb>withdraw|floor|done)
        return regex_body.split("|")[0]
    return HUGE


def routes_with_ids() -> list[tuple[str, str, tuple]]:
    """(path with 20-digit ids, route name, methods) for every route that names an object."""
    found = {}
    for route, pattern in _walk(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or "format" in route:
            continue
        if "<" not in route:
            continue
        path = re.sub(r"\(\?P<(\w+)>([^)]*)\)|<(?:(\w+):)?(\w+)>", _fill, route)
        path = "/" + path.replace("^", "").replace("$", "").replace("\\", "")
        if HUGE not in path:
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if actions:
            methods = tuple(actions)
        elif view_class is not None:
            methods = tuple(m for m in ("get", *WRITE_METHODS) if hasattr(view_class, m))
        else:
            methods = ("get", "post")
        found[path] = (pattern.name, methods)
    return [(path, name, methods) for path, (name, methods) in sorted(found.items())]


ROUTES = routes_with_ids()


def test_the_routes_with_ids_are_found():
    paths = [path for path, _name, _methods in ROUTES]
    assert f"/api/v1/items/{HUGE}/vote/" in paths
    assert f"/konsultasi/{HUGE}/" in paths
    assert f"/api/v1/comments/{HUGE}/report/" in paths
    assert len(paths) > 60


@pytest.mark.parametrize(("path", "name", "methods"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_twenty_digit_id_in_any_path_is_a_404(superuser, path, name, methods):
    api = path.startswith("/api/")
    client = APIClient() if api else Client()
    if api:
        client.force_authenticate(superuser)
    else:
        client.force_login(superuser)
    client.raise_request_exception = False
    for method in methods:
        response = getattr(client, method)(path, {}, **({"format": "json"} if api else {}))
        if method == "get":
            assert response.status_code == 404, (method, path, name)
        else:
            assert response.status_code < 500, (method, path, name)
            assert response.status_code not in (200, 201, 204), (method, path, name)


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
def consultation(open_consultation):
    CommentFactory(consultation=open_consultation)
    return open_consultation


FILTERED_LISTS = [
    ("/api/v1/comments/", ("author", "consultation", "section", "item", "parent", "hearing")),
    ("/api/v1/consultations/{c}/comments/", ("author", "organization", "section")),
    ("/api/v1/consultations/{c}/export.csv", ("author", "section")),
    ("/api/v1/consultations/{c}/export.json", ("organization",)),
    ("/api/v1/moderation-actions/", ("consultation", "comment")),
    ("/api/v1/responses/", ("consultation", "comment", "section")),
    ("/api/v1/hearings/", ("consultation",)),
]
CASES = [
    (path, name, value)
    for path, names in FILTERED_LISTS
    for name in names
    for value in (HUGE, "abc", "1.5", "-1")
]


@pytest.mark.parametrize(("path", "name", "value"), CASES)
def test_an_id_filter_that_is_huge_or_not_a_number_is_a_400_with_a_message(
    api_as, moderator, consultation, path, name, value
):
    client = api_as(moderator)
    client.raise_request_exception = False

    response = client.get(path.format(c=consultation.pk), {name: value})

    assert response.status_code == 400, response.content[:300]
    assert response.json()[name]


def test_a_good_id_filter_still_filters(api_as, moderator, consultation):
    comment = consultation.comments.get()

    response = api_as(moderator).get("/api/v1/comments/", {"author": comment.author_id})

    assert [row["id"] for row in response.json()["results"]] == [comment.pk]


def test_the_dashboard_page_refuses_a_huge_filter_without_a_500(client, planner, consultation):
    client.force_login(planner)
    client.raise_request_exception = False

    response = client.get(f"/konsultasi/{consultation.pk}/dasbor/", {"author": HUGE})

    assert response.status_code < 500


# --- JSON depth -----------------------------------------------------------------------------


def test_json_nested_fifty_thousand_deep_is_a_400(api_as, member, open_consultation):
    body = "[" * 50_000 + "]" * 50_000
    client = api_as(member)
    client.raise_request_exception = False

    response = client.post("/api/v1/comments/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"] or "bersarang" in response.json()["detail"]


def test_json_a_little_deeper_than_the_limit_is_a_400_too(api_as, member, open_consultation):
    nested = "x"
    for _ in range(40):
        nested = {"a": nested}
    client = api_as(member)

    response = client.post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": nested},
        format="json",
    )

    assert response.status_code == 400
    assert "nested" in response.json()["detail"] or "bersarang" in response.json()["detail"]


def test_ordinary_json_is_untouched(api_as, member, open_consultation):
    response = api_as(member).post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": "Setuju."},
        format="json",
    )

    assert response.status_code == 201


# --- display keys of any text ---------------------------------------------------------------


@pytest.fixture
def screen_hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, display_key="kunci-layar-rahasia")


@pytest.mark.parametrize("key", ["kunci-ñ", "ｋｕｎｃｉ", "\ud800", "🔑" * 30, "\x00"])
def test_any_text_is_just_a_wrong_display_key(screen_hearing, key):
    assert hearings_permissions.can_use_display_key(screen_hearing, key) is False


def test_a_lone_surrogate_key_in_a_heartbeat_is_refused_without_a_500(screen_hearing):
    client = APIClient()
    client.raise_request_exception = False

    response = client.post(
        f"/api/v1/hearings/{screen_hearing.pk}/screens/",
        '{"key": "\\ud800", "screen": "proyektor-1"}',
        content_type="application/json",
    )

    assert response.status_code in (400, 403)


@pytest.mark.parametrize("key", ["kunci-ñ", "%ED%A0%80", "ｋｕｎｃｉ"])
def test_a_non_ascii_key_on_the_screen_page_is_a_403(client, screen_hearing, key):
    client.raise_request_exception = False

    response = client.get(f"/hearings/{screen_hearing.pk}/screen/?key={key}")

    assert response.status_code == 403
