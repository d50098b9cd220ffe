"""Sending one webhook: resolve the host, check every address, POST to one of them, keep 2 KB of the answer.

The connection goes to an address that was just checked (the TLS handshake and the Host
header still name the host), so a name that resolves to a public address when checked and
to a private one a moment later cannot be used to reach the platform's network (DNS
rebinding). Redirects are not followed (a 3xx is a failed attempt): a receiver cannot send
the request elsewhere. The standard library is enough here and keeps Lambda's package small.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time

from channelfin.domain.errors import ValidationError
from channelfin.domain.webhook_deliveries import RESPONSE_EXCERPT_BYTES, Answer
from channelfin.domain.webhook_urls import Target, UrlPolicy, check_addresses, literal_address, parse
from channelfin.services.webhook_ports import HostResolver


class SocketResolver:
    def addresses(self, host: str, port: int) -> list[str]:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return []
        return [str(info[4][0]) for info in found]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _host_header(target: Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


class PinnedHttpSender:
    """The webhook sender: the URL rules checked on the addresses connected to, one POST, never a raise."""

    def __init__(self, policy: UrlPolicy, resolver: HostResolver | None = None) -> None:
        self.policy = policy
        self.resolver = resolver or SocketResolver()

    def _addresses(self, target: Target) -> list[str]:
        literal = literal_address(target.host)
        found = [str(literal)] if literal else self.resolver.addresses(target.host, target.port)
        return check_addresses(target, found, self.policy)

    def post(self, url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Answer:
        started = time.monotonic()

        def elapsed() -> int:
            return round((time.monotonic() - started) * 1000)

        try:
            target = parse(url, self.policy)
            addresses = self._addresses(target)
        except ValidationError as refused:
            return Answer(None, elapsed(), error=f"refused: {refused.message}")
        error = "no address to connect to"
        for address in addresses:
            kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
            connection = kind(target, address, timeout)
            try:
                connection.request("POST", target.path, body=body, headers={**headers, "Host": _host_header(target)})
                response = connection.getresponse()
                excerpt = response.read(RESPONSE_EXCERPT_BYTES)
                return Answer(response.status, elapsed(), excerpt.decode("utf-8", "replace"))
            except TimeoutError:
                return Answer(None, elapsed(), error=f"no answer within {timeout:g} s")
            except ConnectionRefusedError:
                error = f"connection refused by {address}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            finally:
                connection.close()
        return Answer(None, elapsed(), error=error)
