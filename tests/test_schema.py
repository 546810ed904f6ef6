"""The OpenAPI schema generates without warnings and documents every operation (summary,
one app tag, request body, errors); the docs page needs no CDN."""

import ast
import functools
import inspect
import textwrap

import pytest
from django.core.management import call_command
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator

pytestmark = pytest.mark.django_db

APPS = {
    "accounts",
    "consultations",
    "comments",
    "hearings",
    "voting",
    "aspirations",
    "analysis",
    "notifications",
    "followups",
    "reports",
    "privacy",
}
WRITES = {"post", "put", "patch"}

# The writes that take no body. Each is checked against its view (it must not read
# request.data): a new write must document its body with `extend_schema(request=…)` or,
# if it really reads none, say `request=None` and join this list.
BODYLESS = {
    ("post", "/api/v1/organizations/{id}/verify/"),
    ("post", "/api/v1/consultations/{id}/publish/"),
    ("post", "/api/v1/consultations/{id}/conclude/"),
    ("post", "/api/v1/consultations/{consultation_pk}/versions/{number}/publish/"),
    ("post", "/api/v1/hearings/{id}/start/"),
    ("post", "/api/v1/hearings/{id}/end/"),
    ("post", "/api/v1/hearings/{id}/rotate-key/"),
    ("post", "/api/v1/hearings/{id}/speakers/"),  # asks for the floor for the caller
    ("post", "/api/v1/hearings/{id}/close-voting/"),
    ("put", "/api/v1/aspirations/{id}/support/"),  # supports for the caller
    ("post", "/api/v1/consultations/{id}/themes/refresh/"),  # queues the analysis job
    ("post", "/api/v1/auth/logout/"),  # revokes the caller's token
    ("post", "/api/v1/auth/logout-all/"),
    ("post", "/api/v1/invitations/{id}/accept/"),
    ("post", "/api/v1/invitations/{id}/decline/"),
    ("post", "/api/v1/notifications/{id}/read/"),  # marks the caller's own notification
    ("post", "/api/v1/notifications/read-all/"),
    ("put", "/api/v1/comments/{id}/upvote/"),  # upvotes a question for the caller
}
# Limited by a service or a throttle: they document 429.
RATE_LIMITED = {
    ("post", "/api/v1/auth/register/"),
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/comments/"),
    ("post", "/api/v1/aspirations/{id}/comments/"),
    ("post", "/api/v1/me/delete/"),  # wrong passwords (privacy.services.account_erase)
}


@functools.cache
def operations() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method, path): operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
        if method in WRITES | {"get", "delete"}
    }


@functools.cache
def handlers() -> dict:
    """(method, path) -> (view class, name of the method that answers it)."""
    found = {}
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        actions = getattr(callback, "actions", None)
        name = actions[method.lower()] if actions else method.lower()
        found[(method.lower(), path.replace("{pk}", "{id}"))] = (callback.cls, name)
    return found


def _is_request_data(node) -> bool:
    """`request.data` or `self.request.data`."""
    if not (isinstance(node, ast.Attribute) and node.attr == "data"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "request") or (
        isinstance(owner, ast.Attribute) and owner.attr == "request"
    )


def what_it_reads(view_class, name: str, seen=None) -> tuple[set, bool]:
    """The names a handler's code refers to, and whether it reads the request body, following
    the `self.<helper>()` calls into the project's own code (decorators are not code)."""
    seen = set() if seen is None else seen
    function = inspect.unwrap(getattr(view_class, name, None) or (lambda: None))
    if name in seen or function.__module__.split(".")[0] not in APPS | {"backend"}:
        return set(), False
    seen.add(name)
    definition = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    names, reads_body = set(), False
    for node in (sub for statement in definition.body for sub in ast.walk(statement)):
        reads_body |= _is_request_data(node)
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                more, more_body = what_it_reads(view_class, node.attr, seen)
                names |= more
                reads_body |= more_body
    return names, reads_body


def body_serializer(method: str, operation) -> str:
    """The serializer a documented body was made from: (PATCH) PatchedXInputRequest -> XInput."""
    content = operation["requestBody"]["content"]  # JSON, or a file upload's multipart
    reference = (content.get("application/json") or next(iter(content.values())))["schema"]["$ref"]
    name = reference.rsplit("/", 1)[1].removesuffix("Request")
    return name.removeprefix("Patched") if method == "patch" else name


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organizations/{id}/verify/",
        "/api/v1/consultations/{id}/publish/",
        "/api/v1/consultations/{consultation_pk}/sections/",
        "/api/v1/consultations/{consultation_pk}/versions/{number}/publish/",
        "/api/v1/consultations/{consultation_pk}/items/",
        "/api/v1/items/{id}/",
    ):
        assert f"{path}:" in text


def test_every_operation_has_a_summary_and_one_app_tag():
    problems = []
    for (method, path), operation in operations().items():
        summary, tags = operation.get("summary", ""), operation.get("tags", [])
        if not summary or "\n" in summary:
            problems.append(f"{method.upper()} {path}: summary {summary!r}")
        if len(tags) != 1 or tags[0] not in APPS:
            problems.append(f"{method.upper()} {path}: tags {tags}")
    assert not problems, "\n".join(problems)
    assert {operation["tags"][0] for operation in operations().values()} == APPS


def test_every_write_documents_the_body_its_view_parses():
    writes = {key: op for key, op in operations().items() if key[0] in WRITES}
    problems = [f"listed as bodyless, not a write: {key}" for key in BODYLESS - writes.keys()]
    for (method, path), operation in writes.items():
        view_class, name = handlers()[(method, path)]
        names, reads_body = what_it_reads(view_class, name)
        where = f"{method.upper()} {path} ({view_class.__name__}.{name})"
        if "requestBody" in operation:
            serializer = body_serializer(method, operation)
            if not reads_body or serializer not in names:
                problems.append(f"{where}: documents {serializer}, which it does not parse")
        elif (method, path) not in BODYLESS:
            problems.append(f"{where}: no body documented: extend_schema(request=…)")
        elif reads_body:
            problems.append(f"{where}: reads request.data, so it is not bodyless")
    assert not problems, "\n".join(problems)


def test_every_operation_describes_its_errors():
    problems = []
    for (method, path), operation in operations().items():
        codes = set(operation["responses"])
        expected = {"400", "401", "403", "409"} if method != "get" else set()
        expected |= {"404"} if "{" in path else set()
        expected |= {"413"} if "requestBody" in operation else set()
        expected |= {"429"} if (method, path) in RATE_LIMITED else set()
        if not expected <= codes or not any(code.startswith("4") for code in codes):
            problems.append(
                f"{method.upper()} {path}: {sorted(codes)}, expected {sorted(expected)}"
            )
        if "429" in codes and (method, path) not in RATE_LIMITED:
            problems.append(f"{method.upper()} {path}: 429, but not in RATE_LIMITED")
    assert not problems, "\n".join(problems)


def test_schema_endpoint_answers(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 200


def test_docs_page_loads_swagger_ui_from_this_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html


def test_swagger_ui_assets_are_served_locally(client):
    import re

    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
