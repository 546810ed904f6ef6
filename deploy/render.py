"""Fill in the nginx templates of deploy/nginx/ (docs/DEPLOY.md, "nginx").

    python deploy/render.py --server-name dialog.pasuruankota.go.id --output /tmp/ruang-nginx

writes nginx.conf (for /etc/nginx/nginx.conf) and sites-available/ruang (for
/etc/nginx/sites-available/ruang) with the production values below; serve_production.py
renders the same templates with local ports and paths. A placeholder is `{{NAME}}`
(nginx's own `$variables` stay as they are); a template with a placeholder nobody fills
in, or a value no template uses, is an error, so the two never drift apart.
"""

import argparse
import re
import sys
from pathlib import Path

NGINX = Path(__file__).resolve().parent / "nginx"
TEMPLATES = {"nginx.conf": NGINX / "nginx.conf", "sites-available/ruang": NGINX / "ruang.conf"}
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")


def production_values(
    server_name: str, *, certificate: str = "", certificate_key: str = ""
) -> dict[str, str]:
    """Debian's paths, gunicorn on :8000, the WebSocket workers on :8001 and :8002 (the
    systemd units), static files where collectstatic puts them (STATIC_ROOT)."""
    letsencrypt = f"/etc/letsencrypt/live/{server_name}"
    return {
        "USER": "www-data",
        "PID_FILE": "/run/nginx.pid",
        "LOG_DIR": "/var/log/nginx",
        "TEMP_DIR": "/var/lib/nginx",
        "SITES": "/etc/nginx/sites-enabled/*",
        "SERVER_NAME": server_name,
        "PUBLIC_ORIGIN": f"https://{server_name}",
        "HTTP_LISTEN": "80",
        "HTTPS_LISTEN": "443",
        "TLS_CERTIFICATE": certificate or f"{letsencrypt}/fullchain.pem",
        "TLS_CERTIFICATE_KEY": certificate_key or f"{letsencrypt}/privkey.pem",
        "STATIC_ROOT": "/srv/ruang/static",
        "WEB_ADDRESS": "127.0.0.1:8000",
        "WS_ADDRESS_1": "127.0.0.1:8001",
        "WS_ADDRESS_2": "127.0.0.1:8002",
    }


def render(template: Path, values: dict[str, str]) -> str:
    text = template.read_text()
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise KeyError(f"{template.name}: no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def render_all(values: dict[str, str], output: Path) -> dict[str, Path]:
    """Every template into `output` (same relative names as in /etc/nginx/); returns them."""
    used = {name for path in TEMPLATES.values() for name in PLACEHOLDER.findall(path.read_text())}
    unused = sorted(set(values) - used)
    if unused:
        raise KeyError(f"no template uses {', '.join(unused)}")
    written = {}
    for name, template in TEMPLATES.items():
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template, values))
        written[name] = target
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="the site's public host name")
    parser.add_argument("--output", type=Path, required=True, help="directory to write into")
    parser.add_argument("--certificate", default="", help="default: Let's Encrypt's path")
    parser.add_argument("--certificate-key", default="", help="default: Let's Encrypt's path")
    args = parser.parse_args(argv)
    values = production_values(
        args.server_name, certificate=args.certificate, certificate_key=args.certificate_key
    )
    for name, path in render_all(values, args.output).items():
        print(f"{path}  (for /etc/nginx/{name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
