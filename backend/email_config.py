"""E-mail settings from the environment (docs/DEPLOY.md "E-mail").

EMAIL_URL names the server in one variable:
    smtp://user:password@host:587          SMTP, no encryption
    smtp+tls://user:password@host:587      SMTP with STARTTLS
    smtps://user:password@host:465         SMTP over TLS (implicit)
    file:///path/to/dir                    one file per message in that folder
    console://                             printed to the console
User and password are percent-decoded (a "@" in a password is %40). Without EMAIL_URL the
usual variables apply (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, EMAIL_USE_SSL); with neither, mail is written to files under var/mail/ so
a person running the demo can open them.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILES = "django.core.mail.backends.filebased.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def _true(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_email_url(url: str) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("smtp", "smtp+tls", "smtps", "smtp+ssl"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL names no host: smtp://user:pass@host:port")
        ssl = scheme in ("smtps", "smtp+ssl")
        try:
            port = parts.port or (465 if ssl else 587 if scheme == "smtp+tls" else 25)
        except ValueError as exc:
            raise ImproperlyConfigured("EMAIL_URL has an invalid port.") from exc
        return {
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": ssl,
        }
    if scheme == "file":
        return {"EMAIL_BACKEND": FILES, "EMAIL_FILE_PATH": unquote(parts.path)}
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE}
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not one of smtp, smtp+tls, smtps, file, console."
    )


def email_settings(environ, var_dir: Path) -> dict:
    """The EMAIL_* settings, DEFAULT_FROM_EMAIL and SERVER_EMAIL from the environment."""
    sender = environ.get("DEFAULT_FROM_EMAIL", "Ruang Dialog <noreply@localhost>")
    common = {"DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender, "EMAIL_TIMEOUT": 30}
    if environ.get("EMAIL_URL"):
        return {**common, **parse_email_url(environ["EMAIL_URL"])}
    if environ.get("EMAIL_HOST"):
        return {
            **common,
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": environ["EMAIL_HOST"],
            "EMAIL_PORT": int(environ.get("EMAIL_PORT", "587")),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": _true(environ.get("EMAIL_USE_TLS", "")),
            "EMAIL_USE_SSL": _true(environ.get("EMAIL_USE_SSL", "")),
        }
    return {**common, "EMAIL_BACKEND": FILES, "EMAIL_FILE_PATH": str(var_dir / "mail")}
