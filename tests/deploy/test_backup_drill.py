"""Backups as an administrator runs them (docs/DEPLOY.md, "Backups"): deploy/backup.sh (the
nightly job of ruang-backup.timer) dumps the database, deploy/restore_drill.sh (ruang-restore-
drill.timer) restores the newest dump into a new database and ends green only when
verify_votes and check_tallies are green on the copy; the copy is dropped afterwards."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from deploy.layout import ROOT
from tests.faults.processes import base_env, manage, throwaway_database

pytestmark = [pytest.mark.postgres]


# Votes on two consultations (a chain each), comments: enough for both checks to mean
# something, made through the services, without load_demo's password hashing.
FILL = """
from accounts.models import Membership
from tests.factories import (
    CommentFactory, ConsultationFactory, ItemFactory, MembershipFactory, OrganizationFactory,
    UserFactory,
)
from voting.services import vote_cast
for n in range(2):
    consultation = ConsultationFactory()
    items = [ItemFactory(consultation=consultation) for _ in range(2)]
    for k, choice in enumerate(["for", "for", "against", "abstain"]):
        representative = MembershipFactory(
            organization=OrganizationFactory(),
            role=Membership.Role.REPRESENTATIVE,
            user=UserFactory(password=None),
        ).user
        for item in items:
            vote_cast(actor=representative, item=item, choice=choice)
        CommentFactory(consultation=consultation, author=representative)
"""
DRIFT = (
    "from django.db.models import F; from voting.models import Tally; "
    "Tally.objects.filter(for_count__gt=0).update(for_count=F('for_count') + %d)"
)


def run(script: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        env={**env, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def databases_named(env: dict, name: str) -> int:
    prefix = env["DATABASE_URL"].rpartition("/")[0]
    with psycopg.connect(f"{prefix}/postgres", autocommit=True) as conn:
        query = "SELECT count(*) FROM pg_database WHERE datname = %s"
        return conn.execute(query, [name]).fetchone()[0]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("backups")
    with throwaway_database(tmp_path, base_env(tmp_path)) as env:
        manage(env, "shell", "-c", FILL)
        yield env


@pytest.fixture
def env(database, tmp_path):
    """The filled database, with a backup directory of this test's own."""
    return {**database, "RUANG_BACKUP_DIR": str(tmp_path / "backups")}


def test_the_nightly_backup_passes_the_restore_drill(env):
    backup = run("backup.sh", env)
    assert backup.returncode == 0, backup.stderr
    dumps = list(Path(env["RUANG_BACKUP_DIR"]).glob("ruang-*.dump"))
    assert len(dumps) == 1
    assert not list(Path(env["RUANG_BACKUP_DIR"]).glob(".*part"))

    drill = run("restore_drill.sh", env)

    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert f"restore drill: {dumps[0]} -> database" in drill.stdout
    assert drill.stdout.count("OK consultation") == 2  # verify_votes: both chains
    assert "no drift" in drill.stdout  # check_tallies
    assert "restore drill passed" in drill.stdout
    copy = re.search(r"-> database (\S+)", drill.stdout).group(1)
    assert databases_named(env, copy) == 0


def test_the_drill_fails_on_a_backup_whose_tallies_drifted(env):
    manage(env, "shell", "-c", DRIFT % 1)
    try:
        assert run("backup.sh", env).returncode == 0
        drill = run("restore_drill.sh", env)
    finally:
        manage(env, "shell", "-c", DRIFT % -1)

    assert drill.returncode != 0
    assert "FAIL consultation" in drill.stdout  # verify_votes: tally != chain
    assert "restore drill passed" not in drill.stdout


def test_backups_older_than_the_kept_days_are_removed(env):
    backups = Path(env["RUANG_BACKUP_DIR"])
    backups.mkdir()
    old, recent = backups / "ruang-2020-01-01T023000Z.dump", backups / "ruang-recent.dump"
    for path, days in [(old, 20), (recent, 2)]:
        path.write_bytes(b"")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))

    assert run("backup.sh", {**env, "RUANG_BACKUP_KEEP_DAYS": "14"}).returncode == 0

    assert not old.exists() and recent.exists()
    assert len(list(backups.glob("ruang-*.dump"))) == 2


def test_the_drill_without_a_backup_says_so_and_fails(env):
    drill = run("restore_drill.sh", env)

    assert drill.returncode == 1
    assert "no backup to restore" in drill.stderr
