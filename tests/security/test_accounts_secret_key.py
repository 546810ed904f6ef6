"""The secret key: production (DJANGO_DEBUG=0) refuses to start without one; a local run
or the demo makes its own in var/ once and keeps it. Found: without DJANGO_SECRET_KEY the
app ran on a key printed in the source, even with DJANGO_DEBUG=0."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_KEY = (
    "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
)


def run(args, var_dir, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(RUANG_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="backend.settings")
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_without_a_key_refuses_to_start(tmp_path):
    result = run(["-c", PRINT_KEY], tmp_path, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_local_run_makes_its_own_key_once_and_keeps_it(tmp_path):
    first = run(["-c", PRINT_KEY], tmp_path, DJANGO_DEBUG="1")
    second = run(["-c", PRINT_KEY], tmp_path)
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert first.stdout.strip() == second.stdout.strip() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_two_installations_get_different_keys(tmp_path):
    one = run(["-c", PRINT_KEY], tmp_path / "one")
    two = run(["-c", PRINT_KEY], tmp_path / "two")
    assert one.stdout.strip() != two.stdout.strip()


def test_the_demo_command_makes_its_key_even_with_debug_off(tmp_path):
    result = run(["manage.py", "demo", "--help"], tmp_path, DJANGO_DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
