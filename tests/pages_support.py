"""Helpers for the HTML page tests: a browser-like client per persona and language."""

from django.conf import settings
from django.test import Client

PERSONAS = [
    "anonymous",
    "citizen",
    "member",
    "representative",
    "unverified_member",
    "moderator",
    "official",
    "planner",
]

# One phrase per language that every page shows (the navigation).
NAV_PHRASE = {"id": "Konsultasi", "en": "Consultations"}


def client_for(user, language: str = "id") -> Client:
    """A client signed in as user (None or anonymous: signed out) reading in language."""
    client = Client()
    if user is not None and user.is_authenticated:
        client.force_login(user)
    if language != settings.LANGUAGE_CODE:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def persona(request, name):
    """The persona fixture called name (anonymous gives None)."""
    user = request.getfixturevalue(name)
    return user if user.is_authenticated else None
