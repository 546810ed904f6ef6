"""Static files come from nginx itself (collectstatic's copies, gzip versions included), with
cache headers, and never cost a Django worker; pages are compressed on the way out."""

import gzip

import pytest

from deploy.layout import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]

LIVE_JS = ROOT / "realtime" / "static" / "realtime" / "live.js"


def test_a_script_comes_gzipped_from_nginx_with_cache_headers(site):
    answer = site.layout.request(
        "GET", "/static/realtime/live.js", headers={"Accept-Encoding": "gzip"}
    )

    assert answer.status == 200
    assert answer.header("Content-Encoding") == "gzip"
    assert gzip.decompress(answer.body) == LIVE_JS.read_bytes()
    assert "max-age=3600" in answer.header("Cache-Control")
    assert answer.header("ETag") and answer.header("Last-Modified")
    assert "Accept-Encoding" in answer.header("Vary")
    assert answer.header("X-Content-Type-Options") == "nosniff"
    # Django answers every request with its Content-Security-Policy: this one never saw it.
    assert not answer.header("Content-Security-Policy")


def test_a_client_without_gzip_gets_the_file_as_it_is(site):
    answer = site.layout.request("GET", "/static/realtime/live.js")

    assert answer.status == 200
    assert not answer.header("Content-Encoding")
    assert answer.body == LIVE_JS.read_bytes()


def test_a_browser_that_has_the_file_gets_304(site):
    first = site.layout.request("GET", "/static/css/app.css")
    again = site.layout.request(
        "GET", "/static/css/app.css", headers={"If-None-Match": first.header("ETag")}
    )

    assert again.status == 304
    assert again.body == b""


def test_a_missing_static_file_is_404_from_nginx(site):
    answer = site.layout.request("GET", "/static/realtime/nothing-here.js")

    assert answer.status == 404
    assert not answer.header("Content-Security-Policy")


def test_pages_from_django_are_compressed_by_nginx(site):
    hearing = site.data["hearing"]
    answer = site.layout.request(
        "GET", f"/hearings/{hearing}/", headers={"Accept-Encoding": "gzip"}
    )

    assert answer.status == 200
    assert answer.header("Content-Encoding") == "gzip"
    assert b"</html>" in gzip.decompress(answer.body)
    assert answer.header("Content-Security-Policy")  # this one Django made
