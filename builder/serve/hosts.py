"""Which Host headers the dev server answers to, and how its addresses are written.

Kept apart from the request handler so the DNS rebinding defence reads (and is tested) as plain functions
of a header's text.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from http import HTTPStatus

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("", "0.0.0.0", "::")  # listening on every address: any IP address may name the server
HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::([0-9]{1,5}))?")  # a Host header: name or [IPv6], port


def address(name: str, port: int) -> str:
    """Write a host and port as a URL does: '127.0.0.1:8000', '[::1]:8000'."""
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def family(host: str) -> socket.AddressFamily:
    """Return the socket family for listening on `host`: IPv6 for an IPv6 address, else IPv4."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def split_host(value: str) -> tuple[str, int | None] | None:
    """Split a Host header into its name (lower case, IPv6 without brackets) and port; None when malformed."""
    match = HOST.fullmatch(value.strip().lower())
    if not match:
        return None
    name, port = match.group(1), match.group(2)
    return name.strip("[]"), int(port) if port else None


def is_ip(name: str) -> bool:
    """Tell whether a host name is an IP address (which DNS cannot rebind)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Hosts:
    """The Host header values a server answers to: its own address, by name or number, with its port.

    Anything else is what a DNS rebinding attack sends: a page of another site whose name was pointed at
    127.0.0.1 after it loaded, reading this server as if it were its own.
    """

    def __init__(self, host: str, bound: str, port: int):
        names = {*LOOPBACK, host.lower(), bound.lower()}
        self.names = frozenset(n.strip("[]") for n in names if n not in WILDCARD)
        self.port, self.any_ip = port, host in WILDCARD

    def allows(self, value: str) -> bool:
        """Tell whether a Host header (or the host part of an Origin) names this server."""
        parsed = split_host(value)
        if parsed is None:
            return False
        name, port = parsed
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.names or (self.any_ip and is_ip(name))

    def allows_origin(self, origin: str) -> bool:
        """Tell whether an Origin header names a page of this server."""
        return origin.startswith("http://") and self.allows(origin[len("http://") :])

    def shown(self) -> str:
        """Return the addresses this server answers to, for messages: '127.0.0.1:8000, localhost:8000…'."""
        return ", ".join(address(n, self.port) for n in sorted(self.names))

    def refusal(self, values: list[str], version: str) -> tuple[HTTPStatus, str] | None:
        """Return why a request with these Host headers is refused (status, message), or None to answer it."""
        if len(values) > 1:
            return HTTPStatus.BAD_REQUEST, "400 Bad Request: the request has several Host headers; send one\n"
        if not values:
            if version in ("HTTP/0.9", "HTTP/1.0"):
                return None  # no Host header in HTTP/1.0; browsers always send one
            return HTTPStatus.BAD_REQUEST, (
                f"400 Bad Request: an HTTP/1.1 request needs a Host header; "
                f"send one naming this server ({self.shown()}).\n"
            )
        if self.allows(values[0]):
            return None
        return HTTPStatus.FORBIDDEN, (
            f"403 Forbidden: this dev server answers only to the host names "
            f"{self.shown()}, not {values[0][:100]!r}. Open http://127.0.0.1:"
            f"{self.port}/ (or the address `diptyque serve` printed) instead.\n"
        )
