"""Run the local OpenID Connect provider as a subprocess on a free loopback port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "byline-tests"
CLIENT_SECRET = "byline-tests-secret-" + "s" * 30
PASSWORD = "provider password 1"
# One account that is who it says, one that claims somebody else's address unverified.
USERS = [
    {"username": "ada", "password": PASSWORD, "email": "ada@example.org",
     "email_verified": True, "name": "Ada Lovelace"},
    {"username": "mallory", "password": PASSWORD, "email": "victim@example.com",
     "email_verified": False, "name": "Mallory"},
]
# Loopback redirect URIs match any port (RFC 8252 7.3, which django-oauth-toolkit follows);
# "testserver" is Django's test client.
REDIRECT_URIS = [
    "http://127.0.0.1/accounts/oidc/local/login/callback/",
    "http://testserver/accounts/oidc/local/login/callback/",
]


@dataclass
class Provider:
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def byline_config(self) -> list[dict]:
        """What an operator puts in BYLINE_OIDC_PROVIDERS to use this provider."""
        return [{"id": "local", "name": "Local ID", "server_url": self.url + "/o",
                 "client_id": CLIENT_ID, "secret": CLIENT_SECRET}]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_provider(workdir: Path) -> Provider:
    """Start the provider and wait until its discovery document answers."""
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_DB": str(workdir / "oidc.sqlite3"),
        "OIDC_USERS": json.dumps(USERS),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": " ".join(REDIRECT_URIS),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = workdir / "oidc.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/o/.well-known/openid-configuration", timeout=2)
            return Provider(url=url, process=proc, log=log)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the OIDC provider did not start:\n" + log.read_text()) \
                    from None
            time.sleep(0.2)
