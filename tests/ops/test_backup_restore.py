"""Backup and restore (docs/RELIABILITY.md, "Backup and restore"): the documented commands
are run for real on a database filled by `manage.py load_demo`, the copy is restored into a
new database, and everything that matters is compared: every comment, vote and vote-log
hash, and `verify_votes` / `check_tallies` must be green on the restored copy.
"""

import json
import sqlite3
import subprocess

import pytest

from tests.faults.processes import base_env, manage, postgres_database, shell, throwaway_database

FINGERPRINT = """
import hashlib, json
from comments.models import Comment
from voting.models import Vote, VoteRecord, Tally
from realtime.models import StreamEvent

def digest(rows):
    return hashlib.sha256(json.dumps(list(rows), default=str).encode()).hexdigest()

comments = Comment.objects.order_by("pk").values_list("pk", "body", "status", "organization_id")
votes = Vote.objects.order_by("pk").values_list("pk", "organization_id", "item_id", "choice")
log = VoteRecord.objects.order_by("pk").values_list("pk", "hash", "prev_hash")
print(json.dumps({
    "comments": comments.count(), "comments_digest": digest(comments),
    "votes": votes.count(), "votes_digest": digest(votes),
    "vote_log": log.count(), "vote_log_digest": digest(log),
    "tallies": Tally.objects.count(),
    "events": StreamEvent.objects.count(),
}))
"""


# load_demo has votes and a hearing; comments are added here so there is something to lose.
ADD_COMMENTS = """
from consultations.models import Consultation
from tests.factories import CommentFactory
for consultation in Consultation.objects.filter(status="open"):
    CommentFactory.create_batch(25, consultation=consultation)
"""


def fill(env: dict) -> None:
    manage(env, "load_demo", timeout=300)
    manage(env, "shell", "-c", ADD_COMMENTS)


def fingerprint(env: dict) -> dict:
    return json.loads(shell(env, FINGERPRINT))


def assert_restored_copy_is_whole(source: dict, restored_env: dict):
    restored = fingerprint(restored_env)
    assert restored == source
    assert source["comments"] > 0 and source["votes"] > 0 and source["vote_log"] > 0
    assert "OK" in manage(restored_env, "verify_votes")
    manage(restored_env, "check_tallies")  # exits non-zero on any drift


@pytest.mark.sqlite
def test_sqlite_online_backup_restores_every_comment_vote_and_hash(tmp_path):
    with throwaway_database(tmp_path, base_env(tmp_path)) as env:
        fill(env)
        source = fingerprint(env)

        # The documented procedure: sqlite3's online backup (safe while the server writes).
        backup = tmp_path / "backup.sqlite3"
        with sqlite3.connect(env["SQLITE_PATH"]) as live, sqlite3.connect(backup) as copy:
            live.backup(copy)
        # Restore = put the file in place of a (new, empty) database.
        restored_path = tmp_path / "restored.sqlite3"
        restored_path.write_bytes(backup.read_bytes())
        assert_restored_copy_is_whole(source, {**env, "SQLITE_PATH": str(restored_path)})


@pytest.mark.postgres
def test_pg_dump_restores_every_comment_vote_and_hash_into_a_new_database(tmp_path):
    with (
        throwaway_database(tmp_path, base_env(tmp_path)) as env,
        postgres_database() as restored_url,
    ):
        fill(env)
        source = fingerprint(env)

        dump = tmp_path / "ruang.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", env["DATABASE_URL"]],
            check=True,
            timeout=120,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump)],
            check=True,
            timeout=120,
        )
        assert_restored_copy_is_whole(source, {**env, "DATABASE_URL": restored_url})
