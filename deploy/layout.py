"""The production layout of docs/DEPLOY.md, started on this machine from the files an
administrator installs: nginx (Debian's package) with deploy/nginx/ rendered for local ports,
and gunicorn, two uvicorn workers and the Huey worker started exactly as their systemd units
in deploy/systemd/ start them (ExecStart, Environment, KillSignal, ExecReload), with the
environment of deploy/ruang.env, against the PostgreSQL and Redis given.

`deploy/serve_production.py` is its command line; tests/deploy/ and bench/qr_storm.py start it
the same way. Standard library only (websockets, a dependency, for the socket probe): Django
runs only in the processes started here.
"""

import asyncio
import contextlib
import dataclasses
import getpass
import http.client
import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from deploy import render

ROOT = Path(__file__).resolve().parents[1]
SYSTEMD = ROOT / "deploy" / "systemd"
ENV_FILE = ROOT / "deploy" / "ruang.env"
# Where the units expect the checkout and the virtualenv (docs/DEPLOY.md, "Install").
PRODUCTION_APP = "/srv/ruang/app"
PRODUCTION_BIN = "/srv/ruang/venv/bin/"


@dataclasses.dataclass(frozen=True)
class Unit:
    """What systemd would run for one unit, translated to this checkout."""

    name: str
    command: list[str]
    reload: list[str]
    kill_signal: signal.Signals
    stop_timeout: float
    environment: dict[str, str]


def read_unit(name: str) -> Unit:
    """The [Service] section of deploy/systemd/<name>.service; `ruang-ws@8001` reads
    ruang-ws@.service with %i = 8001. The production paths of the checkout and of the
    virtualenv's bin/ become this checkout and this interpreter's bin/."""
    template, at, instance = name.partition("@")
    path = SYSTEMD / (f"{template}@.service" if at else f"{name}.service")
    values: dict[str, str] = {}
    environment: dict[str, str] = {}
    section = ""
    for raw in path.read_text().replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        if section != "[Service]":
            continue
        value = value.replace("%i", instance)
        if key == "Environment":
            environment.update(part.split("=", 1) for part in shlex.split(value))
        else:
            values[key] = value

    def local(argument: str) -> str:
        if argument.startswith(PRODUCTION_BIN):
            return str(Path(sys.executable).parent / argument.removeprefix(PRODUCTION_BIN))
        return argument.replace(PRODUCTION_APP, str(ROOT))

    return Unit(
        name=name,
        command=[local(argument) for argument in shlex.split(values["ExecStart"])],
        reload=shlex.split(values.get("ExecReload", "")),
        kill_signal=signal.Signals[values.get("KillSignal", "SIGTERM")],
        stop_timeout=float(values.get("TimeoutStopSec", "90")),
        environment=environment,
    )


def read_env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile reads them (no quoting used here)."""
    pairs = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class Ports:
    https: int = 8443
    http: int = 8080
    web: int = 8000
    ws: tuple[int, int] = (8001, 8002)

    @classmethod
    def free(cls) -> "Ports":
        return cls(free_port(), free_port(), free_port(), (free_port(), free_port()))


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def nginx_binary() -> str:
    """Debian puts nginx in /usr/sbin, which is not on an ordinary user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    return found


@dataclasses.dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Layout:
    """One local production layout in `workdir`. Use as a context manager, or call
    prepare(), start() and stop(); every process it starts it stops, by process group."""

    def __init__(
        self,
        workdir: Path,
        *,
        database_url: str,
        redis_url: str,
        ports: Ports | None = None,
        web_args: str = "",
        environment: dict[str, str] | None = None,
        log=print,
    ):
        self.workdir = Path(workdir)
        self.ports = ports or Ports()
        self.log = log
        self.processes: dict[str, subprocess.Popen] = {}
        self.units = {
            name: read_unit(name)
            for name in ["ruang-web", *(f"ruang-ws@{p}" for p in self.ports.ws), "ruang-jobs"]
        }
        self.nginx_dir = self.workdir / "nginx"
        self.logs = self.workdir / "logs"
        self.certificate = self.nginx_dir / "certificate.pem"
        self.host = f"127.0.0.1:{self.ports.https}"
        self.url = f"https://{self.host}"
        self._lock = threading.RLock()
        self._control: socket.socket | None = None
        self.env = {
            **os.environ,
            **read_env_file(),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.url,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "STATIC_ROOT": str(self.workdir / "static"),
            "RUANG_VAR_DIR": str(self.workdir / "var"),
            # The gunicorn settings file stays as deployed; only the address is local.
            "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{self.ports.web} {web_args}".strip(),
            "PYTHONUNBUFFERED": "1",
            **(environment or {}),
        }
        for name in ("DJANGO_SETTINGS_MODULE", "HUEY_IMMEDIATE", "HUEY_REDIS_URL", "SQLITE_PATH"):
            self.env.pop(name, None)

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> "Layout":
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def prepare(self):
        """Configuration files, a self-signed certificate, then migrate and collectstatic
        (at once: they touch different things)."""
        for path in (self.logs, self.nginx_dir / "temp", self.workdir / "var"):
            path.mkdir(parents=True, exist_ok=True)
        self._certificate()
        values = {
            "USER": getpass.getuser(),
            "PID_FILE": str(self.nginx_dir / "nginx.pid"),
            "LOG_DIR": str(self.logs),
            "TEMP_DIR": str(self.nginx_dir / "temp"),
            "SITES": str(self.nginx_dir / "sites-available" / "ruang"),
            "SERVER_NAME": "127.0.0.1 localhost",
            "PUBLIC_ORIGIN": self.url,
            "HTTP_LISTEN": f"127.0.0.1:{self.ports.http}",
            "HTTPS_LISTEN": f"127.0.0.1:{self.ports.https}",
            "TLS_CERTIFICATE": str(self.certificate),
            "TLS_CERTIFICATE_KEY": str(self.nginx_dir / "certificate.key"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "WEB_ADDRESS": f"127.0.0.1:{self.ports.web}",
            "WS_ADDRESS_1": f"127.0.0.1:{self.ports.ws[0]}",
            "WS_ADDRESS_2": f"127.0.0.1:{self.ports.ws[1]}",
        }
        render.render_all(values, self.nginx_dir)
        self._run(nginx_binary(), *self._nginx_options(), "-t", what="nginx -t")
        commands = {
            "migrate": [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            "collectstatic": [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        }
        running = {
            what: subprocess.Popen(  # noqa: S603 - our own commands
                command,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for what, command in commands.items()
        }
        for what, process in running.items():
            output, _ = process.communicate(timeout=600)
            if process.returncode:
                raise RuntimeError(f"manage.py {what} failed:\n{output[-3000:]}")

    def start(self):
        """The units first (at once), then nginx in front of them; returns when all listen."""
        with self._lock:
            for name in self.units:
                self._start_unit(name)
            for name, port in [("ruang-web", self.ports.web)] + [
                (f"ruang-ws@{port}", port) for port in self.ports.ws
            ]:
                wait_for_port(port, self.processes[name])
            self.processes["nginx"] = self._spawn(
                "nginx", [nginx_binary(), *self._nginx_options()], self.env
            )
            wait_for_port(self.ports.https, self.processes["nginx"])
            # The first request of a worker loads the URLs, the apps and the pool: wait for it
            # here rather than in the first caller's timeout.
            self.request("GET", "/", timeout=180)
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with {process.returncode}: {self.tail(name)}"
                    )

    def stop(self):
        """nginx first (no new requests), then the units; each by its process group."""
        if self._control is not None:
            with contextlib.suppress(OSError):
                self._control.close()
            self._control = None
        with self._lock:
            for name in ["nginx", *reversed(self.units)]:
                if name in self.processes:
                    self._stop(name)

    def failed(self) -> list[str]:
        """Units or nginx that exited by themselves."""
        with self._lock:
            return [name for name, process in self.processes.items() if process.poll() is not None]

    # --- what systemctl does -------------------------------------------------------------

    def systemctl(self, action: str, name: str):
        """`systemctl restart|reload|stop|start <unit>` on the local layout: as systemd does
        it, restart returns once the new process runs (not when it listens)."""
        if name not in self.units:
            raise KeyError(f"unknown unit {name!r}; units: {', '.join(self.units)}")
        with self._lock:
            if action == "stop":
                self._stop(name)
            elif action == "start":
                self._start_unit(name)
            elif action == "restart":
                self._stop(name)
                self._start_unit(name)
            elif action == "reload":
                unit = self.units[name]
                if not unit.reload:
                    raise ValueError(f"{name} has no ExecReload")
                pid = str(self.processes[name].pid)
                command = [part.replace("$MAINPID", pid) for part in unit.reload]
                subprocess.run(command, check=True, timeout=30)  # noqa: S603 - the unit's
            else:
                raise ValueError(f"unknown action {action!r}")

    def serve_control(self) -> Path:
        """A Unix socket that `serve_production.py systemctl <socket> <action> <unit>` talks
        to, so deploy/rolling_restart.sh runs against this layout (SYSTEMCTL=...)."""
        path = self.workdir / "control.sock"
        path.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(4)
        self._control = server

        def serve():
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                with connection, connection.makefile("rw") as stream:
                    action, _, name = stream.readline().strip().partition(" ")
                    try:
                        self.systemctl(action, name)
                        stream.write("ok\n")
                    except Exception as exc:  # noqa: BLE001 - reported to the caller
                        stream.write(f"error {exc}\n")

        threading.Thread(target=serve, name="layout-control", daemon=True).start()
        return path

    # --- talking to it -------------------------------------------------------------------

    def tls_context(self) -> ssl.SSLContext:
        """Trusts the layout's own self-signed certificate, and only that."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict | None = None,
        body: bytes | None = None,
        source: str | None = None,
        timeout: float = 30,
    ) -> Response:
        """One HTTPS request through nginx, from `source` (a loopback address) if given."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.ports.https,
            context=self.tls_context(),
            timeout=timeout,
            source_address=(source, 0) if source else None,
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return Response(
                answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
            )
        finally:
            connection.close()

    def probe(self) -> list[tuple[str, bool, str]]:
        """What an administrator checks after starting it: (what, passed, detail) each."""
        results = []
        for what, check in [
            ("http redirects to https", self._probe_redirect),
            ("page through nginx and gunicorn", self._probe_page),
            ("API through nginx and gunicorn", self._probe_api),
            ("static file from nginx", self._probe_static),
            ("WebSocket through nginx to uvicorn", self._probe_socket),
            ("job worker running", self._probe_jobs),
            ("check --deploy (security)", self._probe_check_deploy),
        ]:
            try:
                results.append((what, True, check()))
            except Exception as exc:  # noqa: BLE001 - every probe is reported
                results.append((what, False, f"{type(exc).__name__}: {exc}"))
        return results

    def _probe_redirect(self) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.ports.http, timeout=10)
        try:
            connection.request("GET", "/hearings/")
            answer = connection.getresponse()
            location = answer.getheader("Location")
        finally:
            connection.close()
        if answer.status != 301 or location != f"{self.url}/hearings/":
            raise AssertionError(f"{answer.status} to {location}")
        return f"301 to {location}"

    def _probe_page(self) -> str:
        answer = self.request("GET", "/")
        if answer.status != 200 or not answer.header("Strict-Transport-Security"):
            raise AssertionError(
                f"{answer.status}, HSTS {answer.header('Strict-Transport-Security')!r}"
            )
        return f"200, {len(answer.body)} bytes, HSTS"

    def _probe_api(self) -> str:
        answer = self.request("GET", "/api/v1/consultations/")
        if answer.status != 200 or not answer.header("Content-Type").startswith("application/json"):
            raise AssertionError(f"{answer.status} {answer.header('Content-Type')}")
        return "200 JSON"

    def _probe_static(self) -> str:
        answer = self.request("GET", "/static/css/app.css", headers={"Accept-Encoding": "gzip"})
        encoding, cache = answer.header("Content-Encoding"), answer.header("Cache-Control")
        if answer.status != 200 or encoding != "gzip" or "max-age" not in cache:
            raise AssertionError(f"{answer.status}, encoding {encoding!r}, cache {cache!r}")
        return f"200 {encoding}, {cache}"

    def _probe_socket(self) -> str:
        """An unknown hearing: the handshake goes through nginx's upgrade to a worker,
        which answers with close code 4404 (docs/REALTIME.md §2)."""

        async def attempt() -> int:
            url = f"wss://{self.host}/ws/hearings/999999999/"
            async with connect(
                url, ssl=self.tls_context(), origin=self.url, open_timeout=10
            ) as websocket:
                try:
                    await asyncio.wait_for(websocket.recv(), 10)
                except ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else 1006
            return 1000

        code = asyncio.run(attempt())
        if code != 4404:
            raise AssertionError(f"closed with {code}, expected 4404")
        return "upgraded, closed 4404 (no such hearing), as expected"

    def _probe_jobs(self) -> str:
        process = self.processes.get("ruang-jobs")
        if process is None or process.poll() is not None:
            raise AssertionError(f"not running: {self.tail('ruang-jobs')}")
        return f"pid {process.pid}"

    def _probe_check_deploy(self) -> str:
        """The security checks of `check --deploy` on this environment."""
        self._run(
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--tag",
            "security",
            "--fail-level",
            "WARNING",
            what="check --deploy",
            env=self.env,
        )
        return "no issues"

    def tail(self, name: str, lines: int = 20) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # --- inside --------------------------------------------------------------------------

    def _nginx_options(self) -> list[str]:
        return [
            "-p",
            str(self.nginx_dir),
            "-c",
            str(self.nginx_dir / "nginx.conf"),
            "-e",
            str(self.logs / "error.log"),
            "-g",
            "daemon off;",
        ]

    def _certificate(self):
        """A self-signed certificate for 127.0.0.1 and localhost (an EC key: cheap
        handshakes when hundreds of phones join at once)."""
        if self.certificate.exists():
            return
        self._run(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(self.nginx_dir / "certificate.key"),
            "-out",
            str(self.certificate),
            what="openssl",
        )

    def _run(self, *command: str, what: str, env: dict | None = None):
        result = subprocess.run(  # noqa: S603 - our own commands
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode:
            raise RuntimeError(f"{what} failed:\n{result.stdout}{result.stderr}")

    def _start_unit(self, name: str):
        unit = self.units[name]
        self.processes[name] = self._spawn(name, unit.command, {**self.env, **unit.environment})

    def _spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        try:
            return subprocess.Popen(  # noqa: S603 - the unit's own command
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    def _stop(self, name: str):
        """The unit's KillSignal to its whole process group (systemd's control-group kill),
        SIGKILL after its TimeoutStopSec; nginx stops fast (SIGTERM)."""
        process = self.processes.pop(name)
        unit = self.units.get(name)
        sig = unit.kill_signal if unit else signal.SIGTERM
        timeout = unit.stop_timeout if unit else 10
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                # Still running, so the group is still ours: kill all of it.
                self.log(f"{name} did not stop within {timeout:.0f} s: SIGKILL")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
