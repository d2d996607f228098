"""Posting one guest comment (issue 4): the time from sending the form to the 302 back.

Each of the n comments comes from a different visitor: its own loopback source address
(any 127.x.y.z is loopback on Linux, and the server sees it as REMOTE_ADDR), its own e-mail
and its own cookies, so the per-address and per-e-mail flood limits never refuse one. For
each, the post page is fetched first (not timed) for the CSRF cookie, the form's token and
its signed time stamp; then only the POST is timed, until the 302 is fully read.

The server is the production one (granian, SQLite, database task queue: the notification
task is enqueued, not run), with BYLINE_COMMENT_MIN_SECONDS=0 so the form's "too fast"
check does not make the benchmark wait three seconds per comment.
"""

import http.client
import re
import sqlite3
import time
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .report import Section, summarize_ms
from .server import Server, production_server

KEY = "comment"
TITLE = "Posting a guest comment"
WARMUP = 2  # untimed posts first, so one-off imports and template compilation are not counted

_POST_LINK = re.compile(r'href="(/@demo/\d{4}/\d{2}/\d{2}/[\w-]+/)"')
_FORM = re.compile(r'<form action="([^"]+)" method="post" id="commentform"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_STAMP = re.compile(r'name="stamp" value="([^"]+)"')


class BenchError(RuntimeError):
    """The benchmark did not measure what it claims to: fail loudly."""


@dataclass
class Scenario:
    label: str
    status: str  # what every comment must end up as
    hold_first_time: bool


SCENARIOS = [
    Scenario("SQLite, first-time commenters held (default): comment pending", "pending", True),
    Scenario("SQLite, first-time commenters not held: comment approved", "approved", False),
]


def _address(scenario: int, i: int) -> str:
    # 127.<10+scenario>.<hi>.<lo>: a fresh loopback address for every visitor.
    return f"127.{10 + scenario}.{i // 250}.{i % 250 + 1}"


def _find_post(base_port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=30)
    try:
        conn.request("GET", "/@demo/")
        html = conn.getresponse().read().decode()
        for path in dict.fromkeys(_POST_LINK.findall(html)):
            conn.request("GET", path)
            if _FORM.search(conn.getresponse().read().decode()):
                return path
    finally:
        conn.close()
    raise BenchError("no post on the demo site's home page takes comments")


def _post_one(server: Server, path: str, *, address: str, who: str) -> float:
    """One visitor reads the post and sends a comment; the seconds the POST took."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30,
                                      source_address=(address, 0))
    agent = "byline-bench/1 (comment)"
    try:
        conn.request("GET", path, headers={"User-Agent": agent})
        response = conn.getresponse()
        html = response.read().decode()
        if response.status != 200:
            raise BenchError(f"GET {path} answered {response.status}")
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
        form, csrf, stamp = _FORM.search(html), _CSRF.search(html), _STAMP.search(html)
        if not (form and stamp):
            raise BenchError(f"GET {path}: no comment form or stamp")
        # A guest's page carries no CSRF token (it may come from the page cache); the
        # server checks that the form comes from its own origin instead.
        token = {"csrfmiddlewaretoken": unescape(csrf.group(1))} if csrf else {}
        body = urlencode({
            **token,
            "comment": f"Benchmark comment from {who}: thanks for writing this up.",
            "author": f"Bench Reader {who}", "email": f"{who}@bench.example.com", "url": "",
            "parent": "", "stamp": unescape(stamp.group(1)), "leave_blank": "",
        })
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookies.items()),
            "Origin": server.base, "Referer": server.base + path, "User-Agent": agent,
        }
        action = unescape(form.group(1))
        started = time.perf_counter()
        conn.request("POST", action, body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 302:
            raise BenchError(f"POST {action} from {address} answered {response.status}, "
                             f"not 302:\n{answer.decode(errors='replace')[:2000]}")
        return elapsed
    finally:
        conn.close()


def _stored(server: Server, prefix: str) -> dict[str, int]:
    with sqlite3.connect(server.database) as db:
        rows = db.execute("SELECT status, COUNT(*) FROM discussion_comment "
                          "WHERE author_email LIKE ? GROUP BY status", (f"{prefix}%",))
        return dict(rows.fetchall())


def _notifications_queued(server: Server) -> int:
    with sqlite3.connect(server.database) as db:
        return db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE task_path LIKE '%comment_notify'").fetchone()[0]


def _set_hold_first_time(server: Server, hold: bool) -> None:
    # Straight into the database: the server reads the site's policy on every request.
    with sqlite3.connect(server.database) as db:
        db.execute("UPDATE tenancy_site SET comments_hold_first_time = ? WHERE slug = 'demo'",
                   (int(hold),))


def measure_on(server: Server, *, n: int) -> list[tuple[Scenario, dict[str, float]]]:
    """Post n comments per scenario on a running server; check every one was stored."""
    path = _find_post(server.port)
    results = []
    for number, scenario in enumerate(SCENARIOS):
        _set_hold_first_time(server, scenario.hold_first_time)
        prefix = f"s{number}-"
        queued_before = _notifications_queued(server)
        samples = []
        for i in range(WARMUP + n):
            took = _post_one(server, path, address=_address(number, i), who=f"{prefix}{i}")
            if i >= WARMUP:
                samples.append(took)
        stored = _stored(server, prefix)
        if stored != {scenario.status: WARMUP + n}:
            raise BenchError(f"{scenario.label}: expected {WARMUP + n} {scenario.status} "
                             f"comments stored, found {stored or 'none'}")
        queued = _notifications_queued(server) - queued_before
        if queued != WARMUP + n:
            raise BenchError(f"{scenario.label}: expected {WARMUP + n} notification tasks "
                             f"enqueued, found {queued}")
        results.append((scenario, summarize_ms(samples)))
    return results


def measure(*, n: int = 50) -> Section:
    """Start a production server, post n comments per scenario, and report in ms."""
    with production_server(settings={"BYLINE_COMMENT_MIN_SECONDS": "0"}) as server:
        results = measure_on(server, n=n)
    table = [["Scenario", "n", "median ms", "p90 ms", "min ms", "max ms"]]
    for scenario, s in results:
        table.append([scenario.label, str(n), *(f"{s[k]:.1f}" for k in
                                                 ("median", "p90", "min", "max"))])
    notes = [
        f"Each row: {n} sequential POSTs of the comment form (after {WARMUP} untimed warm-up "
        "posts), each from its own loopback address, e-mail and cookies; only the POST is "
        "timed, until its 302 is fully read. Server: `byline serve` (granian, 1 worker, "
        "4 threads), SQLite in WAL mode, database task queue (the notification task is "
        "enqueued; no worker runs), mail discarded. Target (issue 4): median under 15 ms.",
    ]
    return Section(title=TITLE, table=table, notes=notes)
