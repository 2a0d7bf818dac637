"""The dev server (`diptyque serve`): build into a private folder, serve it, rebuild on change, reload pages.

One module per part; every rebuild goes through `rebuild.py`, where work that follows each build belongs:

    server.py       DevServer and start_server: the parts put together
    command.py      run_server: `diptyque serve` in the terminal, its messages and exit code
    rebuild.py      Rebuilder: every rebuild of the dev server, and what it tells the pages and the terminal
    watcher.py      Watcher: watchdog's observer and the thread that turns each batch into a rebuild
    changes.py      which changed paths count, and the debounce making a burst of saves one batch
    handler.py      the HTTP request handler: checks, the event stream, files with live reload added
    files.py        which file, redirect or 404 page answers a request target, and its Content-Type
    hosts.py        the Host headers the server answers to (against DNS rebinding)
    connections.py  the lobby of silent connections, the bounded worker threads, the HTTP server
    livereload.py   the live-reload script, the hub of build news, the Server-Sent Events stream
    overlay.py      the error overlay shown over pages while the last build failed
"""

from builder.serve.command import run_server
from builder.serve.connections import TIMEOUT, WORKERS
from builder.serve.files import content_type, locate, serve_folder, url_path
from builder.serve.handler import MAX_TARGET, peer_gone
from builder.serve.hosts import Hosts, split_host
from builder.serve.server import DevServer, start_server

__all__ = [
    "MAX_TARGET",
    "TIMEOUT",
    "WORKERS",
    "DevServer",
    "Hosts",
    "content_type",
    "locate",
    "peer_gone",
    "run_server",
    "serve_folder",
    "split_host",
    "start_server",
    "url_path",
]
