"""Running the review app: uvicorn on 127.0.0.1 only, on a given or a free port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

HOST = "127.0.0.1"


def review_url(*, port: int, token: str) -> str:
    return f"http://{HOST}:{port}/{token}/"


def bind(*, port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(64)
    sock.setblocking(False)
    return sock


@dataclass
class ReviewServer:
    """A uvicorn server of an app on a bound socket; ``url`` is known before it starts."""

    app: object
    sock: socket.socket
    token: str
    log_level: str = "warning"

    def __post_init__(self) -> None:
        import uvicorn

        config = uvicorn.Config(self.app, log_level=self.log_level, access_log=False, lifespan="off",
                                server_header=False, proxy_headers=False, ws="none")
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def url(self) -> str:
        return review_url(port=self.port, token=self.token)

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self.server.run(sockets=[self.sock])

    def start(self) -> None:
        """Serve in a background thread (tests); returns when it accepts connections."""
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the review server stopped while starting")
            self.thread.join(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)
        self.sock.close()


def serve(*, app: object, token: str, port: int = 0, on_ready: Callable[[str], None] | None = None,
          log_level: str = "warning") -> None:
    """Serve ``app`` on 127.0.0.1:``port`` until Ctrl-C; ``on_ready(url)`` is called once the port is bound."""
    server = ReviewServer(app=app, sock=bind(port=port), token=token, log_level=log_level)
    if on_ready is not None:
        on_ready(server.url)
    try:
        server.run()
    finally:
        server.sock.close()
