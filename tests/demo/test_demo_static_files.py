"""The demo's one Daphne process answers static files before Django (demo/asgi.py), with
WhiteNoise's headers; every other path still reaches the site."""

import pytest
from asgiref.testing import ApplicationCommunicator

from demo.asgi import application
from deploy.layout import ROOT


async def get(path: str, headers=()) -> tuple[int, dict, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=5)
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


async def test_a_script_is_answered_from_the_app_s_static_folder():
    status, headers, body = await get("/static/realtime/live.js")

    assert status == 200
    assert body == (ROOT / "realtime" / "static" / "realtime" / "live.js").read_bytes()
    assert "javascript" in headers["content-type"]
    assert "max-age" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"


async def test_a_browser_that_has_the_file_gets_304():
    _, headers, _ = await get("/static/css/app.css")

    status, _, body = await get(
        "/static/css/app.css", [(b"if-none-match", headers["etag"].encode())]
    )

    assert status == 304
    assert body == b""


@pytest.mark.django_db
async def test_other_paths_reach_the_site():
    status, headers, _ = await get("/static/realtime/no-such-file.js")

    assert status == 404
    assert "content-security-policy" in headers  # Django answered
