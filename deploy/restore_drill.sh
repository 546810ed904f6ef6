#!/usr/bin/env bash
# Restore drill (systemd: ruang-restore-drill.timer; docs/DEPLOY.md, "Backups"): restore a
# backup (the newest in RUANG_BACKUP_DIR, or the file given) into a new database on the same
# PostgreSQL server, then recompute every vote chain (verify_votes) and recount every tally
# (check_tallies) on that copy. Exits non-zero unless both are green; the copy is dropped
# at the end. A real restore is the same pg_restore, then pointing DATABASE_URL at the copy.
#
# Needs a role that may create databases: RUANG_DRILL_ADMIN_URL, by default the server of
# DATABASE_URL with its user, database "postgres" (ALTER ROLE ruang CREATEDB once).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL is not set (set -a; . /etc/ruang/env; set +a)}"
python="${PYTHON:-python3}"
dump="${1:-}"
if [ -z "$dump" ]; then
  dump="$(find "${RUANG_BACKUP_DIR:-/var/backups/ruang}" -maxdepth 1 -name 'ruang-*.dump' \
    -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2- || true)"
fi
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
  echo "restore drill: no backup to restore (${dump:-none found})" >&2
  exit 1
fi

server="${DATABASE_URL%/*}"  # postgres://user:password@host:port
admin="${RUANG_DRILL_ADMIN_URL:-$server/postgres}"
copy="ruang_drill_$(date -u +%Y%m%d%H%M%S)_$$"
drop_copy() { psql "$admin" -q -c "DROP DATABASE IF EXISTS \"$copy\" WITH (FORCE)" >/dev/null; }
psql "$admin" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE \"$copy\""
trap drop_copy EXIT

echo "restore drill: $dump -> database $copy"
pg_restore --no-owner --exit-on-error --dbname="$server/$copy" "$dump"
DATABASE_URL="$server/$copy" "$python" manage.py verify_votes
DATABASE_URL="$server/$copy" "$python" manage.py check_tallies
echo "restore drill passed: every vote chain verified, every tally recounted without drift"
