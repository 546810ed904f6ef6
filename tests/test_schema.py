"""The OpenAPI schema generates without warnings and the docs page needs no CDN."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


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
