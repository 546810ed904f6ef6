#!/usr/bin/env bash
# Nightly backup of the PostgreSQL database (systemd: ruang-backup.timer; docs/DEPLOY.md,
# "Backups"). One custom-format pg_dump per run, written under a temporary name and renamed
# only when complete and readable, so a file named ruang-*.dump is always a whole backup.
# Dumps older than RUANG_BACKUP_KEEP_DAYS are removed. Restore with deploy/restore_drill.sh.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set (set -a; . /etc/ruang/env; set +a)}"
dir="${RUANG_BACKUP_DIR:-/var/backups/ruang}"
keep_days="${RUANG_BACKUP_KEEP_DAYS:-14}"

mkdir -p "$dir"
umask 077  # the dump holds every account's data
name="ruang-$(date -u +%Y-%m-%dT%H%M%SZ).dump"
part="$dir/.$name.part"
trap 'rm -f "$part"' EXIT

pg_dump --format=custom --no-owner --file="$part" "$DATABASE_URL"
pg_restore --list "$part" >/dev/null  # the archive's table of contents reads back
mv "$part" "$dir/$name"
find "$dir" -maxdepth 1 -name 'ruang-*.dump' -mtime +"$keep_days" -delete
echo "backup written: $dir/$name ($(du -h "$dir/$name" | cut -f1))"
