"""Request size limits: a body over nginx's client_max_body_size (16 MB) is refused by nginx
with 413 before any worker sees it; a JSON body over Django's own limit (1 MB) gets Django's
413. Both answer in the API's error shape (`code: too_large`), never a 500."""

import json

import pytest

from tests.deploy.clients import api, tls_socket

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]


def read_answer(sock) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(head.split(b" ", 2)[1]), body


def comment_posts_seen_by_gunicorn(site) -> int:
    return (site.layout.logs / "ruang-web.log").read_text().count('"POST /api/v1/comments/ ')


def test_a_body_over_16_mb_is_refused_by_nginx_before_any_worker_sees_it(site):
    before = comment_posts_seen_by_gunicorn(site)
    with tls_socket(site.layout) as sock:
        sock.sendall(
            b"POST /api/v1/comments/ HTTP/1.1\r\n"
            + f"Host: {site.layout.host}\r\n".encode()
            + f"Authorization: Token {site.data['members'][3]}\r\n".encode()
            + b"Content-Type: application/json\r\n"
            + b"Content-Length: 17000000\r\n\r\n"
            + b'{"body": "'
            + b"x" * 65536
        )
        status, body = read_answer(sock)

    assert status == 413
    assert json.loads(body)["code"] == "too_large"
    assert comment_posts_seen_by_gunicorn(site) == before


def test_a_json_body_over_django_s_limit_gets_django_s_413(site):
    data = site.data
    status, answer = api(
        site.layout,
        "POST",
        "comments/",
        data["members"][3],
        {"consultation": data["consultation"], "stance": "support", "body": "x" * 1_100_000},
    )

    assert status == 413
    assert answer["code"] == "too_large"
