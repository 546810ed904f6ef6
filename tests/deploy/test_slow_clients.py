"""Slow clients do not hold a worker: nginx reads a request whole before it passes it on and
reads an answer whole (into memory or a temporary file) before a slow phone has taken it, so
eight clients that send slowly, or stop reading, leave gunicorn's four threads (one worker ×
four threads in this layout) free for everyone else. The same clients sent straight to
gunicorn hold every thread: that is what nginx is there for, and what these tests would see
without its buffering."""

import socket
import time

import pytest

from tests.deploy.clients import tls_socket

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]

SLOW_CLIENTS = 8
QUICK = 5.0  # seconds: generous for a loaded 2-core machine; the held case never answers


def answers_within(site, seconds: float, *, direct: bool = False) -> bool:
    """Does a plain API read get its answer in time (through nginx, or straight to gunicorn)?"""
    if not direct:
        try:
            return site.layout.request("GET", "/api/v1/agencies/", timeout=seconds).status == 200
        except TimeoutError:
            return False
    with socket.create_connection(("127.0.0.1", site.layout.ports.web), timeout=seconds) as sock:
        sock.sendall(
            b"GET /api/v1/agencies/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
        )
        try:
            return sock.recv(64).startswith(b"HTTP/1.1 200")
        except TimeoutError:
            return False


def open_slow(site, request: bytes, *, direct: bool, small_window: bool = False) -> list:
    sockets = []
    for _ in range(SLOW_CLIENTS):
        if direct:
            sock = socket.socket()
            if small_window:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.settimeout(10)
            sock.connect(("127.0.0.1", site.layout.ports.web))
        else:
            sock = tls_socket(site.layout)
            if small_window:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(request)
        sockets.append(sock)
    return sockets


def close(sockets):
    for sock in sockets:
        sock.close()


def half_a_request(site) -> bytes:
    """Headers sent up to the middle of a line, then nothing (a slow or stalled phone)."""
    return f"GET /api/v1/agencies/ HTTP/1.1\r\nHost: {site.layout.host}\r\nX-Slow: ".encode()


def export_request(site) -> bytes:
    """The ~6 MB export of the big consultation, requested whole; the answer is not read."""
    path = f"/api/v1/consultations/{site.data['big_consultation']}/export.csv"
    return (
        f"GET {path} HTTP/1.1\r\nHost: {site.layout.host}\r\n"
        f"Authorization: Token {site.data['planner']}\r\nX-Forwarded-Proto: https\r\n\r\n"
    ).encode()


def exports_finished_by_gunicorn(site) -> int:
    path = f"/api/v1/consultations/{site.data['big_consultation']}/export.csv"
    return (site.layout.logs / "ruang-web.log").read_text().count(f'"GET {path} ')


def test_clients_that_send_their_request_slowly_wait_in_nginx_not_in_a_worker(site):
    slow = open_slow(site, half_a_request(site), direct=False)
    try:
        time.sleep(1)
        assert answers_within(site, QUICK)
    finally:
        close(slow)


def test_clients_that_stop_reading_leave_the_worker_once_nginx_has_the_answer(site):
    before = exports_finished_by_gunicorn(site)
    slow = open_slow(site, export_request(site), direct=False, small_window=True)
    try:
        deadline = time.monotonic() + 120
        while exports_finished_by_gunicorn(site) < before + SLOW_CLIENTS:
            assert time.monotonic() < deadline, "gunicorn never finished the exports"
            time.sleep(0.5)
        assert answers_within(site, QUICK)
    finally:
        close(slow)


def test_without_nginx_the_same_slow_clients_hold_every_gunicorn_thread(site):
    """The control: what the two tests above would meet without nginx's buffering."""
    for request, small_window in [(half_a_request(site), False), (export_request(site), True)]:
        slow = open_slow(site, request, direct=True, small_window=small_window)
        try:
            time.sleep(2)
            assert not answers_within(site, QUICK, direct=True)
        finally:
            close(slow)
        # Once they are gone, gunicorn answers again.
        deadline = time.monotonic() + 60
        while not answers_within(site, QUICK, direct=True):
            assert time.monotonic() < deadline
