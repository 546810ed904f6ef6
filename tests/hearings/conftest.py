"""Hearing tests use the WebSocket helpers of tests/realtime too."""

from tests.realtime.conftest import fresh_relays  # noqa: F401 - fixture shared with this folder
