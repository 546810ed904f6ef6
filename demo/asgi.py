"""The demo's server application: the site's (backend.asgi), with static files answered in
the event loop, before Django.

The demo is one Daphne process. Through Django every stylesheet and script takes the ASGI
handler, a thread hop and the middleware: in the QR-join storm (docs/PERFORMANCE.md) five
files per phone cost more than the page. Here WhiteNoise's own table of files (built once at
start from the apps' static folders, as its middleware does) answers /static/ directly, with
the headers WhiteNoise gives them. Production never runs this: nginx serves the collected
files there (docs/DEPLOY.md).
"""

from whitenoise.middleware import WhiteNoiseMiddleware

from backend.asgi import application as site

static_files = WhiteNoiseMiddleware()


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"].startswith(static_files.static_prefix):
        found = static_files.files.get(scope["path"])
        if found is not None:
            await _send_file(found, scope, send)
            return
    await site(scope, receive, send)


async def _send_file(found, scope, send):
    # WhiteNoise reads request headers in WSGI form; ranges are not worth it for these files.
    headers = {
        "HTTP_" + name.decode("latin-1").upper().replace("-", "_"): value.decode("latin-1")
        for name, value in scope["headers"]
        if name.lower() != b"range"
    }
    response = found.get_response(scope["method"], headers)
    body = b""
    if response.file is not None:
        with response.file as handle:
            body = handle.read()
    await send(
        {
            "type": "http.response.start",
            "status": int(response.status),
            "headers": [
                *((name.lower().encode(), value.encode()) for name, value in response.headers),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
