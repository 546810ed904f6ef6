"""A web worker never loads the numerical engine; a computation does (analysis/engine.py)."""

import os
import subprocess
import sys
from pathlib import Path

from analysis import services

ROOT = Path(__file__).resolve().parent.parent.parent
HEAVY = ("sklearn", "datasketch", "scipy", "analysis.engine")


def modules_loaded_by(statements: str) -> str:
    """The heavy modules a fresh process holds after `statements`, as printed."""
    code = (
        "import sys, django; django.setup(); "
        f"{statements}; "
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_urls_the_job_and_the_services_load_none_of_the_engine():
    loaded = modules_loaded_by("import backend.urls, analysis.tasks, analysis.services")
    assert loaded == "[]"


def test_the_engine_is_the_one_the_services_name():
    assert services.ENGINE == "analysis.engine.compute"
    assert modules_loaded_by(
        "from django.utils.module_loading import import_string; "
        "import_string('analysis.engine.compute')"
    ) == repr(sorted(["analysis.engine", "datasketch", "scipy", "sklearn"]))
