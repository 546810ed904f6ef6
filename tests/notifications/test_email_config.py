"""E-mail configuration from the environment: EMAIL_URL, or the usual SMTP variables, or by
default files under var/mail/ (what the demo uses)."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.email_config import email_settings, parse_email_url

VAR = Path("/srv/ruang/var")


def test_without_configuration_mail_goes_to_files_under_var_mail():
    config = email_settings({}, VAR)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == "/srv/ruang/var/mail"


def test_email_url_with_starttls_and_a_password_with_an_at_sign():
    config = parse_email_url("smtp+tls://bappeda%40pasuruankota.go.id:r%40hasia@mail.example:587")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example", 587)
    assert config["EMAIL_HOST_USER"] == "bappeda@pasuruankota.go.id"
    assert config["EMAIL_HOST_PASSWORD"] == "r@hasia"
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (True, False)


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example", 25, False, False),
        ("smtps://u:p@mail.example", 465, False, True),
        ("smtp://mail.example:2525", 2525, False, False),
    ],
)
def test_email_url_schemes_and_default_ports(url, port, tls, ssl):
    config = parse_email_url(url)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )


def test_the_usual_smtp_variables_and_the_sender():
    config = email_settings(
        {
            "EMAIL_HOST": "smtp.example",
            "EMAIL_PORT": "465",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
            "EMAIL_USE_SSL": "1",
            "DEFAULT_FROM_EMAIL": "Ruang Dialog <noreply@pasuruankota.go.id>",
        },
        VAR,
    )
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_SSL"]) == (
        "smtp.example",
        465,
        True,
    )
    assert config["DEFAULT_FROM_EMAIL"] == "Ruang Dialog <noreply@pasuruankota.go.id>"


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://h:notaport"])
def test_a_wrong_email_url_stops_the_start_with_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured):
        parse_email_url(url)
