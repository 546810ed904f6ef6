"""Start the production layout of docs/DEPLOY.md on this machine, from the same files.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruang_local \\
    REDIS_URL=redis://127.0.0.1:6379/7 \\
    python deploy/serve_production.py [--check]

Migrates the database and collects the static files, then starts nginx (Debian's package,
deploy/nginx/ rendered for local ports, a self-signed certificate), gunicorn, two uvicorn
workers and the Huey worker as their units in deploy/systemd/ do, prints where each part
listens and stops everything it started on Ctrl+C or SIGTERM. `--check` starts it, probes
every part through nginx, stops it and exits 0 only if every probe passed.

While it runs, deploy/rolling_restart.sh (a deploy's restart) works against it with
SYSTEMCTL="python deploy/serve_production.py systemctl <work dir>/control.sock"; the
command prints the whole line.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy.layout import Layout, Ports  # noqa: E402 - after the checkout is on the path


def systemctl(argv: list[str]) -> int:
    """`systemctl <socket> <action> <unit>`: what deploy/rolling_restart.sh calls locally."""
    if len(argv) != 3:
        print("usage: serve_production.py systemctl <control socket> <action> <unit>")
        return 2
    path, action, unit = argv
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(120)
        client.connect(path)
        client.sendall(f"{action} {unit}\n".encode())
        answer = client.makefile().readline().strip()
    if answer != "ok":
        print(f"{action} {unit}: {answer}", file=sys.stderr)
        return 1
    return 0


def hide_password(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def summary(layout: Layout) -> str:
    ports, env = layout.ports, layout.env
    pid = {name: process.pid for name, process in layout.processes.items()}
    control = layout.workdir / "control.sock"
    lines = [
        f"Ruang Dialog, production layout (docs/DEPLOY.md) in {layout.workdir}",
        f"  nginx          {layout.url}/  (http://127.0.0.1:{ports.http}/ redirects)"
        f"  pid {pid['nginx']}",
        f"  ruang-web      gunicorn on 127.0.0.1:{ports.web} (deploy/gunicorn.conf.py)"
        f"  pid {pid['ruang-web']}",
        *(
            f"  ruang-ws@{port}  uvicorn on 127.0.0.1:{port}  pid {pid[f'ruang-ws@{port}']}"
            for port in ports.ws
        ),
        f"  ruang-jobs     Huey worker (manage.py run_huey)  pid {pid['ruang-jobs']}",
        f"  PostgreSQL     {hide_password(env['DATABASE_URL'])}",
        f"  Redis          {hide_password(env['REDIS_URL'])}",
        f"  certificate    {layout.certificate} (self-signed: curl --cacert it)",
        f"  logs           {layout.logs}/",
        "A deploy's restart against it:",
        f"  SYSTEMCTL='{shlex.quote(sys.executable)} deploy/serve_production.py systemctl "
        f"{control}' RUANG_WS_PORTS='{' '.join(map(str, ports.ws))}' deploy/rolling_restart.sh",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["systemctl"]:
        return systemctl(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="start, probe, stop")
    parser.add_argument("--https-port", type=int, default=Ports.https)
    parser.add_argument("--http-port", type=int, default=Ports.http)
    parser.add_argument("--web-port", type=int, default=Ports.web)
    parser.add_argument("--ws-ports", default="8001,8002", help="two ports, comma separated")
    parser.add_argument("--free-ports", action="store_true", help="any free ports instead")
    parser.add_argument("--workdir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        parser.error(f"set {' and '.join(missing)} (the machine's PostgreSQL database and Redis)")
    ws = tuple(int(port) for port in args.ws_ports.split(","))
    if len(ws) != 2:
        parser.error("--ws-ports takes two ports")
    ports = (
        Ports.free()
        if args.free_ports
        else Ports(args.https_port, args.http_port, args.web_port, ws)  # type: ignore[arg-type]
    )
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ruang-production-"))
    layout = Layout(
        workdir,
        database_url=os.environ["DATABASE_URL"],
        redis_url=os.environ["REDIS_URL"],
        ports=ports,
    )

    stopping = []

    def stop_on(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on)
    started = time.monotonic()
    try:
        print(f"Preparing in {workdir}: configuration, migrate, collectstatic …", flush=True)
        layout.prepare()
        layout.start()
        layout.serve_control()
        print(summary(layout), flush=True)
        print(f"Up in {time.monotonic() - started:.1f} s.", flush=True)
        if args.check:
            results = layout.probe()
            for what, passed, detail in results:
                print(f"  {'ok  ' if passed else 'FAIL'} {what}: {detail}", flush=True)
            return 0 if all(passed for _, passed, _ in results) else 1
        print("Stop with Ctrl+C.", flush=True)
        while True:
            time.sleep(1)
            failed = layout.failed()
            if failed:
                for name in failed:
                    print(f"{name} exited:\n{layout.tail(name)}", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping …", flush=True)
        layout.stop()
        if not (args.keep or args.workdir):
            shutil.rmtree(workdir, ignore_errors=True)
        print("Stopped: nginx, ruang-web, ruang-ws@*, ruang-jobs.", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
