"""The SSRF-safe fetcher (SECURITY-CASES 18–20): refused addresses never see a
connection; resolved once and pinned; every redirect checked; time and size capped."""

import socket
import time

import pytest

from byline.linkbacks import fetch as fetch_module
from byline.linkbacks.fetch import FetchError, Refused, TooLarge, check_url, fetch
from tests.linkbacks.local_server import PNG, Handler, local_server

REFUSED = [
    "http://127.0.0.1:22/",
    "http://127.0.0.1/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://2130706433/",
    "http://017700000001/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://user:pass@example.com/",
    "http://user@example.com/",
    "http://example.com:22/",
    "https://example.com:8443/",
    "ftp://example.com/file",
    "file:///etc/passwd",
    "gopher://example.com/",
    "javascript:alert(1)",
    "http:///path-only",
    "http://exa mple.com/",
    "http://example.com\\@10.0.0.1/",
]


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything tries to resolve or connect."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the fetcher tried to connect")

    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", forbidden)


@pytest.mark.parametrize("url", REFUSED)
def test_forbidden_addresses_are_refused_without_connecting(url, no_connections, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(Refused):
        fetch(url)


@pytest.mark.parametrize("port", [80, 443, 8080])
def test_the_usual_ports_pass_the_check(port):
    assert check_url(f"http://example.com:{port}/x").port == port


def test_loopback_is_allowed_only_by_the_setting(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    assert check_url("http://127.0.0.1:12345/").port == 12345
    with pytest.raises(Refused):  # private networks stay refused
        check_url("http://10.0.0.1/")
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(Refused):
        check_url("http://127.0.0.1:12345/")


def _fake_dns(monkeypatch, answers):
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    _fake_dns(monkeypatch, ["10.0.0.7"])
    monkeypatch.setattr(socket.socket, "connect", pytest.fail)
    with pytest.raises(Refused):
        fetch("http://internal.example/")


def test_any_private_answer_among_several_refuses(monkeypatch, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    _fake_dns(monkeypatch, ["93.184.216.34", "169.254.169.254"])
    monkeypatch.setattr(socket.socket, "connect", pytest.fail)
    with pytest.raises(Refused):
        fetch("http://rebinding.example/")


def test_the_name_is_resolved_once_and_the_connection_pinned_to_that_address(
        monkeypatch, settings):
    """DNS rebinding: whatever the name would resolve to next, the connection goes to the
    address that was checked, and the Host header keeps the name."""
    settings.FETCH_ALLOW_LOOPBACK = True
    with local_server() as base:
        port = int(base.rsplit(":", 1)[1])
        calls = _fake_dns(monkeypatch, ["127.0.0.1"])
        connected = []
        real = socket.socket.connect

        def connect(sock, address):
            connected.append(address)
            return real(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)
        Handler.seen.clear()
        response = fetch(f"http://localhost:{port}/hello")
    assert response.body == b"hello world"
    assert calls == ["localhost"]
    assert connected == [("127.0.0.1", port)]
    assert Handler.seen[-1]["host"] == f"localhost:{port}"


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    with local_server() as base:
        yield base


def test_fetches_a_page(server):
    response = fetch(f"{server}/hello")
    assert response.status == 200
    assert response.text() == "hello world"
    assert response.content_type == "text/plain"


def test_fetches_binary(server):
    assert fetch(f"{server}/image.png", max_bytes=1_000_000).body == PNG


def test_a_body_over_the_cap_is_refused(server):
    with pytest.raises(TooLarge):
        fetch(f"{server}/big")  # Content-Length says 300 KB; the default cap is 150 KB
    with pytest.raises(TooLarge):
        fetch(f"{server}/big-chunked")  # no length given: counted while reading


def test_redirects_are_followed_a_few_times(server):
    assert fetch(f"{server}/redirect/2").body == b"hello world"
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/redirect/5")
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/redirect/0", max_redirects=0)


def test_every_redirect_is_checked_again(server):
    with pytest.raises(Refused):
        fetch(f"{server}/to-private")
    with pytest.raises(Refused):
        fetch(f"{server}/to-metadata")


def test_a_slow_drip_is_cut_off_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timed out"):
        fetch(f"{server}/drip", timeout=1)
    assert time.monotonic() - started < 3


def test_headers_dripping_are_cut_off_too(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timed out"):
        fetch(f"{server}/drip-headers", timeout=1)
    assert time.monotonic() - started < 3


def test_the_default_limits_are_the_cases(monkeypatch):
    assert fetch_module.DEFAULT_TIMEOUT == 10
    assert fetch_module.DEFAULT_MAX_BYTES == 150 * 1024
    assert fetch_module.DEFAULT_MAX_REDIRECTS <= 3
