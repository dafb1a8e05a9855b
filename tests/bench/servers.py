"""The servers and the load: gunicorn for our app and the bare hello, wrk against them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.bench.pages import CSRF, Page, fresh_code

ROOT = Path(__file__).resolve().parents[2]
# The settings under which pretix and Indico were measured on this machine (issue 14).
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
GUNICORN = ["-k", "sync", "--workers", str(WORKERS), "--log-level", "warning"]
DURATION, CONNECTIONS = int(os.environ.get("BENCH_SECONDS", "5")), 16


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


class Server:
    """A gunicorn process group on a free loopback port, stopped with the whole group."""

    def __init__(self, app_path: str, env: dict):
        port = free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), *GUNICORN, "-b", f"127.0.0.1:{port}", app_path],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        wait_for(self.base + ("/healthz" if app_path == "wsgi:app" else "/"))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()


def drive(url: str, page: Page | None, signed_in: dict, first: int, workdir: Path) -> dict[str, float]:
    """One bounded wrk run; ``page.lua`` adds the request shape, stats.lua the reporting (with the number
    of requests, so the caller can start the next registration run after the people this one used)."""
    script = workdir / "run.lua"
    script.write_text((page.lua if page else "") + (ROOT / "tests/bench/stats.lua").read_text())
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", str(script), url]
    if page and page.who in signed_in:  # "member" or "staff": their session cookie and CSRF token
        person = signed_in[page.who]
        command[1:1] = ["-H", f"Cookie: {person['cookie']}", "-H", f"X-CSRFToken: {person['csrf']}"]
    command += ["--", str(first)]  # registrations: the first seeded person this run registers
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"BENCH (.*)", result.stdout)
    if found is None:
        raise RuntimeError(f"wrk gave no figures for {url}: {result.stdout} {result.stderr}")
    return {key: float(value) for key, value in (pair.split("=") for pair in found.group(1).split())}


def sign_in(base: str, email: str, password: str, csrf_page: str) -> dict:
    """Log in through the real form; return the session cookie and a CSRF token for JSON writes."""
    # Production cookies are Secure; the benchmark talks plain HTTP on loopback, as a TLS proxy would.
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "http")))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(base + "/login").read().decode()).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    answer = opener.open(base + "/login", data=data)
    if "/login/verify" in answer.geturl():  # staff: the second factor, from the bench's key
        token = CSRF.search(answer.read().decode()).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "code": fresh_code()}).encode()
        opener.open(base + "/login/verify", data=data).read()
    csrf = CSRF.search(opener.open(base + csrf_page).read().decode()).group(1)
    return {"cookie": "; ".join(f"{c.name}={c.value}" for c in jar), "csrf": csrf}
