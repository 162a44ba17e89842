"""Who may talk to the review app: a browser on this machine that knows the token.

Every route sits under ``/<token>/`` (a random ``secrets.token_urlsafe``), so another local user or a web page
cannot guess a URL; a wrong or missing token is a plain 404. The Host header must name 127.0.0.1 or localhost
(a page that points its own domain at 127.0.0.1, DNS rebinding, is refused), and a POST from a browser must come
from the app's own origin (no cross-site form can record a decision). Every response forbids scripts, remote
loads and framing, and sends the referrer (which holds the token) only to the app itself; ``no-referrer`` would
make Chromium send ``Origin: null`` with the app's own forms."""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_HOSTS = ("127.0.0.1", "localhost")
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
_SAFE_METHODS = ("GET", "HEAD")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def host_name(host: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:80`` -> ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(*, method: str, path: str, headers: Headers, token: str) -> tuple[int, str] | None:
    """(status, reason) when the request must be refused, else None."""
    host = headers.get("host", "")
    if host_name(host).lower() not in LOCAL_HOSTS:
        return 421, "the review app answers only to http://127.0.0.1 or http://localhost"
    first = path.lstrip("/").split("/", 1)[0]
    if not secrets.compare_digest(first.encode("utf-8", "surrogateescape"), token.encode("ascii")):
        return 404, "not found (the URL needs the token `grade review` printed)"
    if method not in _SAFE_METHODS:
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return 403, "cross-site request refused: decisions are saved only from the review page itself"
        if origin is None and headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return 403, "cross-site request refused: decisions are saved only from the review page itself"
    return None


class Guard:
    """ASGI middleware: refuse what :func:`refusal` refuses, add the security headers to every response."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                return  # no websockets: closing without accepting refuses the handshake
            await self.app(scope, receive, send)
            return
        refused = refusal(method=scope["method"], path=scope["path"], headers=Headers(scope=scope), token=self.token)

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        if refused is not None:
            status, reason = refused
            await PlainTextResponse(reason + "\n", status_code=status)(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)
