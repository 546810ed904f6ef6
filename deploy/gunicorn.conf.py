"""gunicorn's settings for ruang-web (deploy/systemd/ruang-web.service; docs/DEPLOY.md).

nginx buffers every request and every answer (deploy/nginx/ruang.conf), so a thread here
waits only on Django and the database, never on a phone's slow network: a few threads per
core are enough. GUNICORN_CMD_ARGS overrides any of these (serve_production.py binds its
own port that way).
"""

bind = "127.0.0.1:8000"
workers = 3
worker_class = "gthread"
threads = 4
# A request running longer than this is killed with its worker (the client gets 503 from nginx).
timeout = 30
# A reload (SIGHUP, `systemctl reload ruang-web`) or stop lets running requests finish.
graceful_timeout = 30
# Workers are replaced now and then, staggered, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Not preloaded: a reload imports the new code in the new workers.
preload_app = False
accesslog = "-"
