"""The Content-Security-Policy is sent, enforcing (not report-only), on pages, the API and
error pages: scripts and styles only from our own origin, no inline code, no plugins, no
framing, forms and <base> only to ourselves; WebSockets only to this page's own host."""

import pytest
from django.test import Client

from tests.factories import HearingFactory

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    assert HEADER in response, f"no {HEADER} on {response.request['PATH_INFO']}"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_a_page_gets_an_enforcing_policy_without_inline_code(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response[HEADER]
    assert "'unsafe-eval'" not in response[HEADER]


def test_websockets_may_go_to_this_page_s_own_host_only(client):
    assert policy(client.get("/"))["connect-src"] == ["'self'", "ws://testserver"]
    secure = policy(client.get("/", secure=True))
    assert secure["connect-src"] == ["'self'", "wss://testserver"]
    on_port = policy(client.get("/", HTTP_HOST="localhost:8000"))
    assert on_port["connect-src"] == ["'self'", "ws://localhost:8000"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/consultations/", "/api/v1/hearings/", "/api/schema/", "/tidak-ada/", "/admin/"],
)
def test_the_api_error_pages_and_the_admin_get_it_too(client, path):
    csp = policy(client.get(path))
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_the_big_screen_gets_it(client, open_consultation):
    hearing = HearingFactory(consultation=open_consultation)
    response = client.get(f"/hearings/{hearing.pk}/screen/", {"key": hearing.display_key})
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]


def test_the_api_docs_work_under_the_policy(client):
    """Swagger UI from the sidecar: its page and its start script are files of our own;
    only the docs page may show data: images (Swagger UI's icons)."""
    page = client.get("/api/docs/")
    assert page.status_code == 200
    csp = policy(page)
    assert csp["script-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in " ".join(csp["script-src"] + csp.get("style-src", []))
    assert "<script>" not in page.content.decode()
    start = client.get("/api/docs/", {"script": ""})
    assert start.status_code == 200
    assert "SwaggerUIBundle" in start.content.decode()


def test_a_request_for_a_foreign_host_still_answers_400_with_the_policy():
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert policy(response)["connect-src"] == ["'self'"]
