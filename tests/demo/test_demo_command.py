"""`python manage.py demo` (the README's run command) serves with Daphne and runs the job
queue's consumer in the same process, so the clock closes consultations without a second
command; Ctrl+C stops both (issue 14, requirement 3)."""

import os
import signal
import subprocess
import sys
import urllib.request

from tests.faults.processes import ROOT, free_port, wait_for_port

CLEARED = ("DATABASE_URL", "REDIS_URL", "HUEY_REDIS_URL", "HUEY_IMMEDIATE", "SQLITE_PATH")


def test_the_demo_starts_daphne_and_the_huey_consumer_and_stops_both_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(RUANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="backend.settings")
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(port, process, timeout=240)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
                assert page.status == 200
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    text = log.read_text()
    assert "Huey consumer started" in text, text
    assert "Huey consumer stopped." in text, text
    assert (tmp_path / "huey.sqlite3").exists()
    # Nothing of it is left running.
    assert subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True).returncode == 1
