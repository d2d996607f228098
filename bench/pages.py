"""Serving pages (issue 5): requests per second and p50/p99 latency under load, with the
page cache cold (switched off) and warm, beside a static ceiling, in one run.

A site is seeded with 1,000 posts, 20,000 comments, 100 tags and 20 categories (`--scale`
for 100,000 posts). Then, one after the other, with wrk (Debian's package) as the load
generator on the same machine:

* cold: `byline serve` (granian, as `make run` starts it) with BYLINE_PAGE_CACHE=0;
* warm: the same server with the page cache on (pages and their files warmed first);
* production: nginx in front of that server, answering cached pages straight from the
  page cache's files and passing everything else to granian (`byline nginx_config`);
* ceiling: nginx serving the post page's saved HTML as a plain static file.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .report import Section
from .server import ROOT, free_port, prepare_home, run_byline, serve

KEY = "pages"
TITLE = "Serving pages"
CONNECTIONS = 32
THREADS = 2
SITE = "/@bench"
SCALE_POSTS = 100_000


def paths() -> dict[str, str]:
    return {
        "post with 30 comments": None,  # found from the home page (its date is the seed's)
        "home": f"{SITE}/",
        "tag archive": f"{SITE}/tag/tag-7/",
        "RSS feed": f"{SITE}/feed/",
        "search": f"{SITE}/search/?q=harbour+lantern",
    }


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _find_hot_post(port: int) -> str:
    status, _, body = _get(port, f"{SITE}/")
    match = re.search(rf'href="({SITE}/\d{{4}}/\d{{2}}/\d{{2}}/the-post-with-30-comments/)"',
                      body.decode())
    if status != 200 or not match:
        raise RuntimeError("the bench site's home page does not link its hot post")
    return match.group(1)


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_LAT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_ERR = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")


def wrk(url: str, *, seconds: int) -> dict[str, float]:
    """Requests per second and p50/p99 in ms for `url`, from wrk."""
    done = subprocess.run(  # noqa: S603 - our argv
        [shutil.which("wrk") or "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
         "--latency", url],
        capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    rps = _WRK_RPS.search(out)
    if done.returncode or not rps:
        raise RuntimeError(f"wrk failed on {url}:\n{out}{done.stderr}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {p: float(v) * scale[u] for p, v, u in _WRK_LAT.findall(out)}
    errors = _WRK_ERR.search(out)
    if errors and errors.group(1):
        raise RuntimeError(f"{url}: {errors.group(1)} responses were not 2xx/3xx:\n{out}")
    return {"rps": float(rps.group(1)), "p50": latency.get("50", 0.0),
            "p99": latency.get("99", 0.0)}


# --- nginx ------------------------------------------------------------------------------

def nginx_available() -> bool:
    return shutil.which("nginx") is not None


@contextmanager
def nginx(config_body: str) -> "Iterator[int]":  # noqa: F821 - annotation only
    """Run nginx in the foreground with `config_body` inside http { }, on a free port."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="byline-nginx-"))
    (workdir / "logs").mkdir()
    conf = workdir / "nginx.conf"
    # Started as root, nginx's workers would run as nobody and could not read the
    # benchmark's private temporary directories: keep them as the user running the bench.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
worker_processes auto;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {workdir}/body;
  proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  types {{ text/html html; text/css css; application/javascript js; }}
{config_body.replace("__PORT__", str(port))}
}}
""")
    proc = subprocess.Popen([shutil.which("nginx") or "nginx", "-p", str(workdir), "-c", str(conf)],  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: "
                                       + (workdir / "logs" / "error.log").read_text()) from None
                time.sleep(0.1)
        yield port
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def static_ceiling_config(root: Path) -> str:
    return f"""
  server {{
    listen 127.0.0.1:__PORT__;
    root {root};
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
"""


# --- the run ----------------------------------------------------------------------------

def _row(label: str, page: str, result: dict[str, float]) -> list[str]:
    return [label, page, f"{result['rps']:,.0f}", f"{result['p50']:.2f}", f"{result['p99']:.2f}"]


def measure(*, n: int = 50, scale: bool = False, seconds: int = 8) -> Section:
    del n  # wrk runs for a time, not a count
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk); `make bench` installs it")
    posts = SCALE_POSTS if scale else 1000
    comments = posts * 20
    print(f"seeding {posts:,} posts and {comments:,} comments ...", flush=True)
    home = prepare_home(seed=[["seed_site.py", "--posts", str(posts), "--comments",
                               str(comments)]])
    workers = max(2, os.cpu_count() or 2)
    rows = [["Server", "Page", "req/s", "p50 ms", "p99 ms"]]
    figures: dict[tuple[str, str], dict[str, float]] = {}
    try:
        pages = paths()
        with serve(home, settings={"BYLINE_PAGE_CACHE": "0", "BYLINE_FRAGMENT_CACHE": "0"},
                   workers=workers) as server:
            pages["post with 30 comments"] = _find_hot_post(server.port)
            for page, path in pages.items():
                result = wrk(server.base + path, seconds=seconds)
                figures[("bare", page)] = result
                rows.append(_row("granian, no caches at all", page, result))
                print(rows[-1], flush=True)
        with serve(home, settings={"BYLINE_PAGE_CACHE": "0"}, workers=workers) as server:
            status, _, html = _get(server.port, pages["post with 30 comments"])
            if status != 200 or html.count(b'id="comment-') < 30:
                raise RuntimeError("the hot post does not show its 30 comments")
            for page, path in pages.items():
                result = wrk(server.base + path, seconds=seconds)
                figures[("cold", page)] = result
                rows.append(_row("granian, page cache off (cold)", page, result))
                print(rows[-1], flush=True)
        saved = Path(tempfile.mkdtemp(prefix="byline-ceiling-"))
        (saved / "post.html").write_bytes(html)
        port = free_port()
        with serve(home, settings={"BYLINE_PAGE_CACHE": "1"}, workers=workers,
                   port=port) as server:
            for path in pages.values():  # warm: the first reader fills the cache
                _get(server.port, path)
            for page, path in pages.items():
                result = wrk(server.base + path, seconds=seconds)
                figures[("warm", page)] = result
                rows.append(_row("granian, cache warm", page, result))
                print(rows[-1], flush=True)
            if nginx_available():
                config = run_byline(home, "nginx_config", "--upstream", f"127.0.0.1:{port}",
                                    "--listen", "127.0.0.1:__PORT__", "--static-root",
                                    str(home / "var" / "static"))
                with nginx(config) as front:
                    for path in pages.values():
                        _get(front, path)
                    for page, path in pages.items():
                        result = wrk(f"http://127.0.0.1:{front}{path}", seconds=seconds)
                        figures[("nginx", page)] = result
                        rows.append(_row("nginx + page cache files, warm", page, result))
                        print(rows[-1], flush=True)
                with nginx(static_ceiling_config(saved)) as static:
                    result = wrk(f"http://127.0.0.1:{static}/post.html", seconds=seconds)
                    figures[("ceiling", "post with 30 comments")] = result
                    rows.append(_row("nginx, saved HTML (ceiling)", "post with 30 comments",
                                     result))
                    print(rows[-1], flush=True)
        shutil.rmtree(saved, ignore_errors=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return Section(title=TITLE, table=rows, notes=_notes(figures, posts, comments, workers,
                                                         seconds))


def _notes(figures, posts, comments, workers, seconds) -> list[str]:
    notes = [
        f"Site: {posts:,} posts, {comments:,} comments, 100 tags, 20 categories, SQLite. "
        f"Load: wrk, {THREADS} threads, {CONNECTIONS} connections, {seconds} s per row, on "
        f"the same machine as the server. granian: `byline serve --workers {workers}`. "
        "No caches = BYLINE_PAGE_CACHE=0 and BYLINE_FRAGMENT_CACHE=0: every request runs "
        "every query and renders every template. Cold = BYLINE_PAGE_CACHE=0: every request "
        "renders the page, with the parts kept per site change (menus, archives, the "
        "post's header and comment thread, list entries) taken from the cache; warm = page "
        "cache on, each page fetched once before the run.",
    ]
    ceiling = figures.get(("ceiling", "post with 30 comments"))
    if ceiling:
        post = "post with 30 comments"
        targets = [
            ("warm granian ≥ 20% of the ceiling", figures.get(("warm", post)), 0.20),
            ("warm nginx + files ≥ 80% of the ceiling", figures.get(("nginx", post)), 0.80),
        ]
        for label, got, share in targets:
            if got:
                notes.append(f"Target {label}: {got['rps']:,.0f} / {ceiling['rps']:,.0f} = "
                             f"{got['rps'] / ceiling['rps']:.0%} "
                             f"({'met' if got['rps'] >= share * ceiling['rps'] else 'NOT met'}).")
    cold = figures.get(("cold", "post with 30 comments"))
    if cold:
        notes.append(f"Target cold post page ≥ 250 req/s: {cold['rps']:,.0f} "
                     f"({'met' if cold['rps'] >= 250 else 'NOT met'}).")
    worst = max(((k, v) for k, v in figures.items() if k[0] in ("warm", "nginx")),
                key=lambda kv: kv[1]["p99"], default=None)
    if worst:
        notes.append(f"Target p99 < 50 ms warm at {CONNECTIONS} connections: worst "
                     f"{worst[1]['p99']:.1f} ms ({worst[0][0]}, {worst[0][1]}) "
                     f"({'met' if worst[1]['p99'] < 50 else 'NOT met'}).")
    return notes


__all__ = ["ROOT", "measure"]
