"""A real Akismet on loopback: an HTTP server that speaks Akismet's REST API (1.1), keeps
every request it receives and answers from a table a test can change, so the tests go
through the same sockets, encodings and timeouts as production.

By default it answers as the real service does for its documented test values: an
unknown key gets "invalid" (with X-akismet-debug-help), a comment by
"akismet-guaranteed-spam" is spam, ``user_role=administrator`` is ham, anything else ham;
submissions are thanked. ``answer(endpoint, ...)`` scripts a different reply (a status,
a body, headers, a delay), and ``stop()`` takes the server away altogether.
"""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

KEY = "akismet-test-key"
THANKS = "Thanks for making the web a better place."
ENDPOINTS = ("verify-key", "comment-check", "submit-spam", "submit-ham")


@dataclass(frozen=True)
class Reply:
    body: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    endpoint: str
    params: dict[str, str]
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format, *args) -> None:
        pass  # quiet test output

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        params = {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True)
                  .items()}
        endpoint = self.path.rstrip("/").rsplit("/", 1)[-1]
        fake = self.server.fake
        if not self.path.startswith("/1.1/") or endpoint not in ENDPOINTS:
            self._send(Reply("Not found", status=404))
            return
        with fake.lock:
            fake.received.append(Received(endpoint, params, dict(self.headers.items())))
            scripted = fake.scripted.get(endpoint)
        self._send(scripted or fake.default_reply(endpoint, params))

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: "FakeAkismet"


class FakeAkismet:
    def __init__(self, key: str = KEY):
        self.key = key
        self.received: list[Received] = []
        self.scripted: dict[str, Reply] = {}
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The API's base address, as BYLINE_AKISMET_URL takes it."""
        return f"http://127.0.0.1:{self.port}/1.1/"

    def start(self) -> "FakeAkismet":
        self.thread.start()
        return self

    def stop(self) -> None:
        """Shut down and free the port: a client now meets a refused connection."""
        self.server.shutdown()
        self.server.server_close()

    def answer(self, endpoint: str, body: str, *, status: int = 200,
               headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """Answer every later call of `endpoint` this way."""
        assert endpoint in ENDPOINTS, endpoint
        self.scripted[endpoint] = Reply(body, status, headers or {}, delay)

    def calls(self, endpoint: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if endpoint is None or r.endpoint == endpoint]

    def default_reply(self, endpoint: str, params: dict[str, str]) -> Reply:
        if params.get("api_key") != self.key:
            if endpoint == "verify-key":
                return Reply("invalid")
            return Reply("invalid", headers={
                "X-akismet-debug-help": "We were unable to parse your API key."})
        if endpoint == "verify-key":
            return Reply("valid")
        if endpoint in ("submit-spam", "submit-ham"):
            return Reply(THANKS)
        if params.get("user_role") == "administrator":
            return Reply("false")
        if params.get("comment_author") == "akismet-guaranteed-spam":
            return Reply("true")
        return Reply("false")
