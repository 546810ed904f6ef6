"""One source for the production configuration: the files in deploy/ are what DEPLOY.md
shows (verbatim, so the page cannot drift from them), what an administrator installs and
what serve_production.py starts. No services needed: these run in every CI run."""

import re
import signal
import sys
from pathlib import Path

import pytest

from deploy import render
from deploy.layout import ENV_FILE, ROOT, SYSTEMD, read_env_file, read_unit

DEPLOY_MD = ROOT / "docs" / "DEPLOY.md"
SHOWN = re.compile(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```\n", re.DOTALL)
# Configuration is shown whole; the scripts are named (they are read, not copied).
MUST_BE_SHOWN = [
    *(p.relative_to(ROOT) for p in sorted(SYSTEMD.iterdir())),
    *(p.relative_to(ROOT) for p in sorted((ROOT / "deploy" / "nginx").iterdir())),
    Path("deploy/gunicorn.conf.py"),
    Path("deploy/ruang.env"),
]
MUST_BE_NAMED = [
    "deploy/backup.sh",
    "deploy/restore_drill.sh",
    "deploy/rolling_restart.sh",
    "deploy/render.py",
    "deploy/serve_production.py",
]


def shown_in_deploy_md() -> dict[str, str]:
    return dict(SHOWN.findall(DEPLOY_MD.read_text()))


@pytest.mark.parametrize("path", MUST_BE_SHOWN, ids=str)
def test_deploy_md_shows_the_file_exactly_as_it_is(path):
    shown = shown_in_deploy_md()
    assert str(path) in shown, f"DEPLOY.md does not show {path} (<!-- file: {path} -->)"
    assert shown[str(path)] == (ROOT / path).read_text()


def test_deploy_md_shows_no_file_that_does_not_exist():
    for path in shown_in_deploy_md():
        assert (ROOT / path).is_file(), path


@pytest.mark.parametrize("path", MUST_BE_NAMED)
def test_deploy_md_names_each_script_that_an_administrator_runs(path):
    assert path in DEPLOY_MD.read_text()
    assert (ROOT / path).is_file()


@pytest.mark.parametrize("script", ["backup.sh", "restore_drill.sh", "rolling_restart.sh"])
def test_scripts_are_executable(script):
    assert (ROOT / "deploy" / script).stat().st_mode & 0o111


def test_every_service_unit_starts_something_this_checkout_has():
    for name in ["ruang-web", "ruang-ws@8001", "ruang-jobs", "ruang-backup"]:
        unit = read_unit(name)
        program = Path(unit.command[0])
        assert program.parent in (Path(sys.executable).parent, ROOT / "deploy"), unit.command
        assert program.name in {"gunicorn", "uvicorn", "python", "backup.sh"}, unit.command
        for argument in unit.command[1:]:
            if argument.endswith((".py", ".sh")):
                assert (ROOT / argument).is_file(), argument


def test_the_websocket_unit_is_a_template_for_its_port():
    unit = read_unit("ruang-ws@8002")
    assert unit.command[unit.command.index("--port") + 1] == "8002"
    assert unit.kill_signal == signal.SIGTERM


def test_the_job_worker_stops_with_sigint_so_a_running_job_finishes():
    assert read_unit("ruang-jobs").kill_signal == signal.SIGINT


def test_the_web_unit_reloads_gracefully_with_sighup():
    assert read_unit("ruang-web").reload == ["/bin/kill", "-HUP", "$MAINPID"]


def test_every_timer_starts_a_unit_that_exists():
    for timer in SYSTEMD.glob("*.timer"):
        assert timer.with_suffix(".service").is_file(), timer.name
        assert "OnCalendar=" in timer.read_text()


def test_production_rendering_fills_every_placeholder(tmp_path):
    values = render.production_values("dialog.pasuruankota.go.id")
    written = render.render_all(values, tmp_path)

    for path in written.values():
        assert not render.PLACEHOLDER.search(path.read_text())
    site = written["sites-available/ruang"].read_text()
    assert "server_name dialog.pasuruankota.go.id;" in site
    assert "listen 443 ssl http2;" in site
    assert "/etc/letsencrypt/live/dialog.pasuruankota.go.id/fullchain.pem" in site


def test_a_missing_or_unused_value_is_an_error(tmp_path):
    values = render.production_values("dialog.pasuruankota.go.id")
    with pytest.raises(KeyError, match="STATIC_ROOT"):
        render.render_all({k: v for k, v in values.items() if k != "STATIC_ROOT"}, tmp_path)
    with pytest.raises(KeyError, match="SURPLUS"):
        render.render_all({**values, "SURPLUS": "x"}, tmp_path)


def test_nginx_replaces_the_client_s_x_forwarded_for_and_django_trusts_one_proxy():
    """A client's own X-Forwarded-For never reaches Django: nginx sets the header to the
    address it saw, in every location that proxies, and the app trusts exactly that one."""
    site = (ROOT / "deploy" / "nginx" / "ruang.conf").read_text()
    forwarded = re.findall(r"proxy_set_header X-Forwarded-For (\S+);", site)
    assert forwarded == ["$remote_addr"] * site.count("proxy_pass ")
    assert read_env_file()["DJANGO_TRUSTED_PROXY_COUNT"] == "1"


def test_every_variable_of_the_environment_file_is_documented():
    documented = set(re.findall(r"^\| `([A-Z_]+)`", DEPLOY_MD.read_text(), re.MULTILINE))
    assert set(read_env_file(ENV_FILE)) <= documented
