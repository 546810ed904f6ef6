#!/usr/bin/env bash
# A deploy's restart, with a hearing live (docs/DEPLOY.md, "Upgrades"): the WebSocket
# workers one at a time, each listening again before the next goes (nginx sends the
# reconnecting clients to the other one; they resume with ?after= and miss nothing), then
# gunicorn reloads (new workers with the new code; running requests finish), then the job
# worker restarts (a running job finishes first).
#
# SYSTEMCTL and RUANG_WS_PORTS let serve_production.py's local layout stand in for systemd.
set -euo pipefail

systemctl=${SYSTEMCTL:-systemctl}
ws_ports=${RUANG_WS_PORTS:-8001 8002}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for port in $ws_ports; do
  $systemctl restart "ruang-ws@$port"
  for _ in $(seq 1 300); do
    if listening "$port"; then break; fi
    sleep 0.2
  done
  if ! listening "$port"; then
    echo "ruang-ws@$port does not listen after 60 s; stopping here (journalctl -u ruang-ws@$port)" >&2
    exit 1
  fi
  echo "ruang-ws@$port restarted"
done
$systemctl reload ruang-web
echo "ruang-web reloaded"
$systemctl restart ruang-jobs
echo "ruang-jobs restarted"
