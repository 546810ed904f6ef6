"""Settings come from the environment only (ARCHITECTURE.md §6); each case in a new process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "dialog.pasuruankota.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://dialog.pasuruankota.go.id",
    "DJANGO_SECURE_SSL": "1",
}
CLEARED = [
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DJANGO_SECURE_SSL",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PGOPTIONS",
    "HUEY_REDIS_URL",
    "HUEY_IMMEDIATE",
]

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "pool": "pool" in db.get("OPTIONS", {}),
    "pg_options": db.get("OPTIONS", {}).get("options"),
    "prepare_threshold": db.get("OPTIONS", {}).get("prepare_threshold"),
    "server_side_binding": db.get("OPTIONS", {}).get("server_side_binding"),
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "language": settings.LANGUAGE_CODE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
}))
"""


def run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(RUANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="backend.settings")
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(tmp_path, **env) -> dict:
    result = run(["-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_any_variable_it_is_a_safe_local_demo(tmp_path):
    settings = probe(tmp_path)
    assert settings["debug"] is False
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert "localhost" in settings["allowed_hosts"]
    assert settings["language"] == "id"


def test_database_and_redis_urls_switch_to_postgresql_with_the_pool_and_channels_redis(tmp_path):
    settings = probe(
        tmp_path,
        DATABASE_URL="postgres://ruang@db.internal:5432/ruang",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["conn_max_age"] == 0  # never > 0 under ASGI
    assert settings["pool"] is True
    assert settings["channel_layer"].startswith("channels_redis.")


def test_postgresql_prepares_statements_and_leaves_pgoptions_to_libpq(tmp_path):
    settings = probe(
        tmp_path,
        DATABASE_URL="postgres://ruang@db.internal:5432/ruang",
        PGOPTIONS="-c synchronous_commit=off",
    )
    assert settings["server_side_binding"] is True  # a client-side binding cursor never prepares
    assert settings["prepare_threshold"] == 5
    assert settings["pg_options"] is None  # so libpq applies PGOPTIONS itself


def test_each_redis_database_gets_its_own_channel_prefix_because_pub_sub_ignores_it():
    from backend.settings import redis_backends

    layers_3, caches_3 = redis_backends("redis://cache.internal:6379/3")
    layers_4, _ = redis_backends("redis://cache.internal:6379/4?socket_timeout=5")
    layers_default, _ = redis_backends("redis://cache.internal:6379")
    assert layers_3["default"]["CONFIG"]["prefix"] == "ruang3"
    assert layers_4["default"]["CONFIG"]["prefix"] == "ruang4"
    assert layers_default["default"]["CONFIG"]["prefix"] == "ruang0"
    assert caches_3["default"]["LOCATION"] == "redis://cache.internal:6379/3"


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_about_the_demo_defaults(tmp_path):
    """The demo's key is its own random one in var/ (tests/security/
    test_accounts_secret_key.py); what it lacks for production is HTTPS."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


SQLITE_AND_HUEY = """
import json, django
from django.conf import settings
django.setup()
from huey.contrib.djhuey import HUEY
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "huey": type(HUEY).__name__,
    "immediate": HUEY.immediate,
    "huey_file": getattr(HUEY.storage, "filename", None),
    "huey_redis": HUEY.storage.conn.connection_pool.connection_kwargs.get("host")
    if type(HUEY.storage).__name__ == "RedisStorage" else None,
}))
"""
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def clock_probe(tmp_path, **env) -> dict:
    result = run(["-c", SQLITE_AND_HUEY], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_sqlite_options_apply_to_a_database_url_too(tmp_path):
    """With DATABASE_URL=sqlite:///… the lock timeout and the IMMEDIATE transactions held
    too, so a close under vote load waits for the lock instead of answering 503."""
    settings = clock_probe(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["options"] == SQLITE_OPTIONS


def test_the_default_sqlite_file_has_the_same_options(tmp_path):
    assert clock_probe(tmp_path)["options"] == SQLITE_OPTIONS


def test_without_redis_the_job_queue_is_a_sqlite_file_in_var(tmp_path):
    settings = clock_probe(tmp_path)
    assert settings["huey"] == "SqliteHuey"
    assert settings["immediate"] is False  # outside pytest the consumer runs the jobs
    assert settings["huey_file"] == str(tmp_path / "huey.sqlite3")


def test_with_redis_the_job_queue_is_in_redis(tmp_path):
    settings = clock_probe(tmp_path, REDIS_URL="redis://cache.internal:6379/0")
    assert settings["huey"] == "RedisHuey"
    assert settings["huey_redis"] == "cache.internal"


def test_huey_may_have_a_redis_of_its_own(tmp_path):
    settings = clock_probe(
        tmp_path,
        REDIS_URL="redis://cache.internal:6379/0",
        HUEY_REDIS_URL="redis://jobs.internal:6379/1",
    )
    assert settings["huey"] == "RedisHuey"
    assert settings["huey_redis"] == "jobs.internal"


def test_under_pytest_jobs_run_inline():
    from huey.contrib.djhuey import HUEY

    assert HUEY.immediate
