"""`manage.py demo` explains itself (`--help`) and prints the big screen's link on every
start, not only the first (issue 17, demo)."""

import io

import pytest
from django.core.management import call_command

from demo.hearings import HEARING_TITLE
from demo.management.commands.demo import Command
from hearings.models import Hearing


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_help_says_what_the_demo_does_and_how_to_start_again():
    text = " ".join(Command().create_parser("manage.py", "demo").format_help().split())
    assert "Run the Ruang Dialog demo" in text
    assert "demo12345" in text
    assert "var/db.sqlite3" in text  # where the data is, and how to start from scratch
    assert "Ctrl+C" in text
    assert "big-screen" in text
    # every option says what it is for
    assert "Address to listen on" in text
    assert "Port to listen on" in text
    assert "do not start the server" in text


def test_the_help_keeps_its_list_of_steps_on_separate_lines():
    text = Command().create_parser("manage.py", "demo").format_help()
    assert "\n  1. migrate" in text
    assert "\n  4. serve" in text


def start(port=8123) -> str:
    out = io.StringIO()
    call_command("demo", no_serve=True, port=port, stdout=out)
    return out.getvalue()


# Not transactional: the demo needs the rows of the data migrations (role groups,
# kelurahan), which a transactional test's flush would have removed for later ones.
@pytest.mark.django_db
def test_every_start_prints_the_big_screen_link_with_its_current_key():
    first = start()
    hearing = Hearing.objects.get(title=HEARING_TITLE)  # not the Musrenbang forum
    screen = f"http://127.0.0.1:8123/hearings/{hearing.pk}/screen/?key={hearing.display_key}"
    assert screen in first
    second = start()
    assert "not loaded again" in second
    assert screen in second
    assert f"http://127.0.0.1:8123/hearings/{hearing.pk}/console/" in second
    # A new display key (the old one was revoked) is what the next start prints.
    Hearing.objects.filter(pk=hearing.pk).update(display_key="neu-schluessel-123")
    assert "screen/?key=neu-schluessel-123" in start()
