"""Every page has an icon: base.html links it and /favicon.ico leads to it (no 404 in
every page's log; issue 17, demo)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.svg")


def test_the_icon_file_exists_and_is_svg():
    path = finders.find("favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        assert handle.read().startswith("<svg")


def test_every_page_links_the_icon(client):
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
