"""The one HTTP client for requests made on a stranger's behalf: pingbacks, Webmentions,
federation, media fetched during an import (SECURITY-CASES 18–20, 24, 39, 46).

A URL is refused before any connection when its scheme is not http(s), it carries a
user name or password, its port is not 80, 443 or 8080, or its host is written as a
number ("2130706433", "0x7f.1"). The host name is resolved once; if any address it
resolves to is not a public unicast address (private, loopback, link-local, multicast,
reserved, unspecified, shared, IPv4-mapped…) the URL is refused, else the connection goes
to that very address (the Host header and TLS SNI keep the name), so a DNS answer that
changes between the check and the connection (rebinding) cannot smuggle in another one.
Every redirect is checked the same way. The whole exchange has one deadline, enforced
by a watchdog that shuts the socket, so a server dripping one byte a second is cut off;
the body is capped.

Settings: FETCH_ALLOW_LOOPBACK (env BYLINE_FETCH_ALLOW_LOOPBACK, default False) lets
127.0.0.0/8 and ::1 through, on any port — for tests and local development only.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "FetchError",
    "Refused",
    "Response",
    "TooLarge",
    "check_url",
    "fetch",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 150 * 1024
DEFAULT_MAX_REDIRECTS = 3
ALLOWED_PORTS = frozenset({80, 443, 8080})
USER_AGENT = "Byline (+https://byline.invalid/bot; fetching on behalf of a Byline site)"
_CHUNK = 16 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# Names that are numbers in disguise: 2130706433, 0x7f.0.0.1, 017700000001, 127.1.
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]*))*\.?$", re.I)


class FetchError(Exception):
    """The fetch failed: refused, unreachable, too slow, too large or not HTTP."""


class Refused(FetchError):
    """The URL or the address it resolves to is not one we may connect to."""


class TooLarge(FetchError):
    """The response body is over the cap."""


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def _allow_loopback() -> bool:
    return bool(getattr(settings, "FETCH_ALLOW_LOOPBACK", False))


def _address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and (
            ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None):
        return False  # an IPv4 address in IPv6 clothing: never, whatever it hides
    if ip.is_loopback:
        return _allow_loopback()
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified
                                 or ip.is_link_local or ip.is_private)


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as in the URL, IPv6 without brackets, lowercased
    port: int
    path: str  # path and query


def check_url(url: str) -> _Target:
    """Refuse (Refused) a URL we must never connect to, judging by its text alone."""
    if any(ch.isspace() or ord(ch) < 0x20 or ch == "\\" for ch in url):
        raise Refused("The address contains spaces, control characters or backslashes.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(f"Not a valid address: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused("Only http and https addresses are fetched.")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise Refused("Addresses with a user name or password are not fetched.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise Refused("The address has no host.")
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None and _NUMERIC_HOST.match(host):
        raise Refused("Hosts written as numbers are not fetched.")
    if literal is not None and not _address_allowed(literal):
        raise Refused("That address is private, local or reserved.")
    loopback_ok = _allow_loopback() and (
        (literal is not None and literal.is_loopback) or host == "localhost")
    if port not in ALLOWED_PORTS and not loopback_ok:
        raise Refused("Only ports 80, 443 and 8080 are fetched.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme=scheme, host=host, port=port, path=path)


def _resolve(target: _Target, deadline: float) -> str:
    """Resolve the host once; every address must be allowed; connect to the first."""
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        return str(literal)
    if deadline - time.monotonic() <= 0:
        raise FetchError("Timed out.")
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"Could not resolve {target.host}: {error}") from None
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not _address_allowed(ip):
            raise Refused(f"{target.host} resolves to a private, local or reserved address.")
        addresses.append(str(ip))
    if not addresses:
        raise FetchError(f"{target.host} has no address.")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = _connect(self._ip, self.port, self.timeout)


def _connect(ip: str, port: int, timeout: float) -> socket.socket:
    # Not socket.create_connection: it would resolve again. The address is already one.
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((ip, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = _connect(self._ip, self.port, self.timeout)
        # The certificate is checked against the name, though we connect to the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _exchange(target: _Target, ip: str, *, method: str, body: bytes | None,
              headers: dict[str, str], deadline: float, max_bytes: int,
              ) -> tuple[int, dict[str, str], bytes]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("Timed out.")
    cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    host = target.host if ":" not in target.host else f"[{target.host}]"
    conn = cls(host.strip("[]"), target.port, ip, timeout=remaining)
    expired = threading.Event()

    def cut_off() -> None:
        # The watchdog: whatever the socket is doing (connecting, reading headers one
        # byte a second), it stops at the deadline.
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.putrequest(method, target.path, skip_accept_encoding=True)
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **headers}
        if body is not None:
            sent["Content-Length"] = str(len(body))
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        if expired.is_set():
            raise FetchError("Timed out.")
        status = response.status
        got = {k.lower(): v for k, v in response.getheaders()}
        if status in _REDIRECTS:
            return status, got, b""
        length = got.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise TooLarge(f"The response is over {max_bytes} bytes.")
        chunks, size = [], 0
        while True:
            chunk = response.read1(_CHUNK) if method != "HEAD" else b""
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"The response is over {max_bytes} bytes.")
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError("Timed out.")
        if expired.is_set():  # the watchdog's shutdown reads as an early end of file
            raise FetchError("Timed out.")
        return status, got, b"".join(chunks)
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise FetchError("Timed out.") from None
        raise FetchError(f"Could not fetch: {error}") from None
    finally:
        watchdog.cancel()
        conn.close()


def fetch(url: str, *, method: str = "GET", data: bytes | None = None,
          headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
          max_bytes: int = DEFAULT_MAX_BYTES,
          max_redirects: int = DEFAULT_MAX_REDIRECTS) -> Response:
    """Fetch `url` safely (see the module's docstring) and return the final response,
    whatever its status. Raises Refused for a forbidden address (before connecting to
    it), TooLarge over `max_bytes`, FetchError for every other failure."""
    deadline = time.monotonic() + timeout
    method = method.upper()
    extra = dict(headers or {})
    for _hop in range(max_redirects + 1):
        target = check_url(url)
        ip = _resolve(target, deadline)
        status, got, body = _exchange(target, ip, method=method, body=data, headers=extra,
                                      deadline=deadline, max_bytes=max_bytes)
        if status not in _REDIRECTS:
            return Response(url=url, status=status, headers=got, body=body)
        location = got.get("location", "")
        if not location:
            return Response(url=url, status=status, headers=got, body=body)
        url = urljoin(url, location)
        if status in (301, 302, 303) and method != "HEAD":
            method, data = "GET", None
    raise FetchError(f"More than {max_redirects} redirects.")
