"""`diptyque serve` in the terminal: listen (or say why not), build, serve until Ctrl-C.

The I/O edge of the dev server: what it prints, and its exit code.
"""

from __future__ import annotations

import errno
import socket
import sys
import time

from builder.config import Config
from builder.serve.changes import WATCHED
from builder.serve.hosts import LOOPBACK, family
from builder.serve.server import DevServer


def free_port(host: str, start: int) -> int | None:
    """Return the first port from `start` that can be bound on `host`, or None."""
    for port in range(start, min(start + 50, 65536)):
        with socket.socket(family(host)) as probe:
            try:
                probe.bind((host, port))
                return port
            except OSError:
                continue
    return None


def listen(config: Config, host: str, port: int, watch: bool) -> DevServer | None:
    """Make the server listening on `host:port`; None, with the reason printed, when it cannot."""
    try:
        return DevServer(config, host=host, port=port, watch=watch)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return None
        other = free_port(host, port + 1)
        print(
            f"error: port {port} is already in use; try {f'--port {other}' if other else 'another port'} "
            "(or --port 0 for any free port)",
            file=sys.stderr,
        )
        return None


def run_server(
    config: Config, host: str = "127.0.0.1", port: int = 8000, watch: bool = False, open_browser: bool = False
) -> int:
    """Run `diptyque serve` until Ctrl-C; return the exit code."""
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: other machines on the network can see this site, drafts included",
            file=sys.stderr,
        )
    server = listen(config, host, port, watch)
    if server is None:
        return 1
    try:
        start = time.perf_counter()
        ok = server.rebuild()
        if not ok and not watch:
            return 1  # the server is stopped by `finally`
        if ok:
            print(f"built in {(time.perf_counter() - start) * 1000:.0f} ms into {server.folder}")
        server.start(rebuild_thread=False)  # rebuilds run here, in the main thread (the page budget's)
        watching = f" · watching {', '.join(f'{name}/' for name in WATCHED)} and config.toml" if watch else ""
        print(f"serving {server.url}{watching} · Ctrl-C to stop", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        if watch:
            server.watch()
        while server.thread.is_alive():
            server.thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("stopped")
    return 0
