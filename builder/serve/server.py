"""The dev server put together: its private folder, the rebuilder, the HTTP server, the watcher.

`DevServer` is what tests and `diptyque serve` hold: `.url`, `.rebuild()`, `.start()`, `.stop()`.
"""

from __future__ import annotations

import threading

from builder.config import Config
from builder.errors import BuildError
from builder.serve import livereload
from builder.serve.changes import QUIET
from builder.serve.connections import TIMEOUT, LobbyServer
from builder.serve.files import serve_folder
from builder.serve.handler import Handler
from builder.serve.hosts import Hosts, address, family
from builder.serve.rebuild import Rebuilder
from builder.serve.watcher import Watcher


class DevServer:
    """A running dev server: `.url`, `.stop()`; builds into its private folder and reloads pages."""

    def __init__(
        self,
        config: Config,
        host: str = "127.0.0.1",
        port: int = 0,
        watch: bool = True,
        quiet: bool = False,
        debounce: float | None = None,
        timeout: float = TIMEOUT,
    ):
        self.folder = config.output or serve_folder(config.root)
        self.site = Rebuilder(config.with_options(output=self.folder), quiet=quiet)
        self.hub = self.site.hub
        handler = type("BoundHandler", (Handler,), {"dev": self, "timeout": timeout})
        server_class = type("BoundServer", (LobbyServer,), {"address_family": family(host)})
        self.httpd = server_class((host, port), handler, idle=timeout)  # OSError when the port is taken
        bound, port = self.httpd.server_address[:2]
        self.hosts = Hosts(host, bound, port)
        self.url = f"http://{address(host, port)}/"
        self.site.options["base_url"] = self.url  # links and feeds point at this server, as Hugo's does
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="diptyque-http", daemon=True)
        self.watcher = (
            Watcher(config.root, self.site.rebuild, QUIET if debounce is None else debounce)
            if watch
            else None
        )

    @property
    def config(self) -> Config:
        """The configuration of the last build (config.toml is read again by each)."""
        return self.site.config

    @property
    def errors(self) -> tuple[BuildError, ...]:
        """The errors of the last build, empty when it succeeded."""
        return self.site.errors

    def rebuild(self, changed: set[str] = frozenset()) -> bool:
        """Build now, as the watcher would after an edit; return whether it succeeded."""
        return self.site.rebuild(changed)

    def start(self, rebuild_thread: bool = True) -> DevServer:
        """Serve and watch in background threads; call after the first build. Without `rebuild_thread`,
        the caller runs the rebuilds itself with `watch()`."""
        self.thread.start()
        if self.watcher:
            self.watcher.start(thread=rebuild_thread)
        return self

    def watch(self) -> None:
        """Rebuild after each batch of changes in this thread, until `stop`: the CLI's main thread, where
        the page budget applies to templates."""
        if self.watcher:
            self.watcher.run()

    def decorate(self, page: bytes) -> bytes:
        """Add the live-reload script, and the error overlay while a build error stands, to an HTML page."""
        with self.hub.lock:
            version, failure = self.hub.version, self.hub.failure
        return livereload.inject(page, (failure or "") + livereload.script(version, self.config.codes))

    def stop(self) -> None:
        """Stop watching and serving; join the threads."""
        if self.watcher:
            self.watcher.stop()
        self.hub.close()
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()


def start_server(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 0,
    watch: bool = True,
    quiet: bool = True,
    debounce: float | None = None,
    timeout: float = TIMEOUT,
) -> DevServer:
    """Build once, then serve (and watch) in background threads; return the server (`.url`, `.stop()`)."""
    server = DevServer(
        config, host=host, port=port, watch=watch, quiet=quiet, debounce=debounce, timeout=timeout
    )
    server.rebuild()
    return server.start()
