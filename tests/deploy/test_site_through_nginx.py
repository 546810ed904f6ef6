"""The site as a city runs it: every request through nginx (TLS) to gunicorn, every socket
through nginx's upgrade to a uvicorn worker, Django with the production settings of
deploy/ruang.env (DEBUG off, HTTPS only, one trusted proxy)."""

import asyncio
import html
import http.client
import json
import re
import urllib.parse

import pytest
from websockets.asyncio.client import connect

from tests.deploy.clients import api

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]


def cookies_of(answer) -> dict[str, str]:
    raw = answer.header("Set-Cookie")
    return dict(re.findall(r"(?:^|, )([a-z_]+)=([^;]*)", raw))


def test_plain_http_is_sent_to_https_and_pages_carry_hsts(site):
    layout = site.layout
    plain = http.client.HTTPConnection("127.0.0.1", layout.ports.http, timeout=10)
    plain.request("GET", "/hearings/?page=2")
    redirect = plain.getresponse()
    plain.close()
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"{layout.url}/hearings/?page=2"

    answer = layout.request("GET", "/")
    assert answer.status == 200
    assert "max-age=" in answer.header("Strict-Transport-Security")


def test_a_member_signs_in_on_the_site_with_a_secure_session_cookie(site):
    layout = site.layout
    form = layout.request("GET", "/accounts/login/")
    csrf_cookie = cookies_of(form)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    body = urllib.parse.urlencode(
        {
            "username": site.data["username"],
            "password": site.data["password"],
            "csrfmiddlewaretoken": html.unescape(token.decode()),
        }
    ).encode()
    signed_in = layout.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": layout.url,
        },
    )

    assert signed_in.status == 302, signed_in.body[:500]
    assert "sessionid=" in signed_in.header("Set-Cookie")
    assert "Secure" in signed_in.header("Set-Cookie")
    session = cookies_of(signed_in)["sessionid"]
    home = layout.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
    assert b'action="/accounts/logout/"' in home.body


def test_a_member_comments_and_a_representative_votes_through_nginx(site):
    data, layout = site.data, site.layout
    status, comment = api(
        layout,
        "POST",
        "comments/",
        data["members"][0],
        {
            "consultation": data["consultation"],
            "hearing": data["hearing"],
            "stance": "support",
            "body": "Lewat nginx: mohon jalur sepeda di Pasal 2.",
        },
    )
    assert status == 201, comment
    organization, token = data["representatives"][0]
    status, vote = api(layout, "PUT", f"items/{data['items'][0]}/vote/", token, {"choice": "for"})
    assert status == 200, vote
    assert vote["receipt"]
    status, tally = api(layout, "GET", f"items/{data['items'][0]}/tally/")
    assert status == 200 and tally["counts"]["for"] >= 1


def test_the_big_screen_follows_the_hearing_over_a_websocket_through_nginx(site):
    data, layout = site.data, site.layout
    url = f"wss://{layout.host}/ws/hearings/{data['hearing']}/?key={data['display_key']}"
    body = "Untuk layar: taman kota perlu lampu."

    async def scenario():
        async with connect(url, ssl=layout.tls_context(), origin=layout.url) as screen:
            snapshot = json.loads(await asyncio.wait_for(screen.recv(), 30))
            status, comment = await asyncio.to_thread(
                api,
                layout,
                "POST",
                "comments/",
                data["members"][1],
                {
                    "consultation": data["consultation"],
                    "hearing": data["hearing"],
                    "stance": "support",
                    "body": body,
                },
            )
            assert status == 201, comment
            while True:
                message = json.loads(await asyncio.wait_for(screen.recv(), 30))
                if message["type"] == "comment.published" and message["data"]["body"] == body:
                    return snapshot, message

    snapshot, message = asyncio.run(scenario())
    assert snapshot["type"] == "snapshot"
    assert message["seq"] > snapshot["seq"]
    assert message["stream"] == f"hearing:{data['hearing']}"


def test_a_socket_from_another_site_is_refused_at_nginx_s_door(site):
    data, layout = site.data, site.layout
    url = f"wss://{layout.host}/ws/hearings/{data['hearing']}/"

    async def attempt():
        async with connect(url, ssl=layout.tls_context(), origin="https://evil.example"):
            pass

    with pytest.raises(Exception, match="403"):
        asyncio.run(attempt())


def test_a_planner_downloads_the_export_through_nginx(site):
    data, layout = site.data, site.layout
    body = "Untuk ekspor: trotoar di Jalan Pahlawan rusak."
    status, _ = api(
        layout,
        "POST",
        "comments/",
        data["members"][2],
        {"consultation": data["consultation"], "stance": "oppose", "body": body},
    )
    assert status == 201

    answer = layout.request(
        "GET",
        f"/api/v1/consultations/{data['consultation']}/export.csv",
        headers={"Authorization": f"Token {data['planner']}"},
    )

    assert answer.status == 200
    assert answer.header("Content-Type").startswith("text/csv")
    assert "attachment" in answer.header("Content-Disposition")
    assert body in answer.body.decode("utf-8-sig")
