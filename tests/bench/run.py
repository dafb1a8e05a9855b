"""`make bench`: throughput of our pages as a ratio to a bare Flask "hello" under the same gunicorn.

One run: builds a fresh SQLite database (the embedded default), loads the demo data and the benchmark
volume (`flask bench seed`), serves the app and the bare hello app with identical gunicorn settings,
and drives each page with wrk from a second process on 127.0.0.1 for a bounded time. Three rounds,
interleaved (hello, then every page, again and again), and the median of each figure is reported.
Queries per request and page weight (gzip, HTML + the CSS/JS/icons it links, request count) are
measured in-process with the test client, which sees exactly the same views.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WORKERS, THREADS = 2, 4
GUNICORN = ["-k", "gthread", "--workers", str(WORKERS), "--threads", str(THREADS), "--log-level", "warning"]
DURATION, CONNECTIONS, ROUNDS = int(os.environ.get("BENCH_SECONDS", "5")), 16, 3
TARGETS = {"anonymous": 0.25, "member": 0.15}


@dataclass
class Page:
    name: str
    path: str
    who: str = "anonymous"  # or "member": the seeded bench member, signed in


def pages(client) -> list[Page]:
    """The measured pages; features add theirs here."""
    return [
        Page("in-app minimal (/healthz)", "/healthz"),
        Page("home", "/"),
        Page("log-in form", "/login"),
        Page("organisations list", "/organisations"),
        Page("home (signed in)", "/", "member"),
        Page("account (signed in)", "/account", "member"),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def serve(app_path: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), *GUNICORN, "--bind", f"127.0.0.1:{port}", app_path],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + ("/healthz" if app_path == "wsgi:app" else "/"))
    return process, base


def drive(url: str, cookie: str | None) -> dict[str, float]:
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "-s",
        str(ROOT / "tests/bench/stats.lua"),
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = re.search(r"BENCH (.*)", output).group(1)
    return {key: float(value) for key, value in (pair.split("=") for pair in line.split())}


def sign_in(base: str, email: str, password: str) -> str:
    """Log in through the real form; return the Cookie header value."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/login", data=data).read()
    jar = opener.handlers[[type(h).__name__ for h in opener.handlers].index("HTTPCookieProcessor")].cookiejar
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def measure_in_process(env: dict, page_list_factory) -> tuple[list[Page], dict]:
    """Queries per request and compressed page weight, with the same views through the test client."""
    os.environ.update(env)
    import sqlalchemy as sa

    from consortium.app import create_app
    from consortium.db import db
    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD

    app = create_app({"PAGE_CACHE_SECONDS": 0})  # count the queries a page really needs
    with app.app_context():
        engine = db.engine
    figures: dict[str, dict] = {}
    anonymous, member = app.test_client(), app.test_client()
    html = member.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    member.post("/login", data={"csrf_token": token, "email": BENCH_MEMBER, "password": BENCH_PASSWORD})
    page_list = page_list_factory(anonymous)
    for page in page_list:
        client = member if page.who == "member" else anonymous
        client.get(page.path)  # warm caches (templates, translations) before counting
        statements: list[str] = []

        def listener(*args, into=statements):
            into.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        response = client.get(page.path)
        sa.event.remove(engine, "before_cursor_execute", listener)
        body = response.get_data()
        assets = re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|js|svg)(?:\?v=\w+)?)"', body)
        weight = len(gzip.compress(body, 6))
        for asset in set(assets):
            asset_response = client.get(asset.decode())
            weight += len(gzip.compress(asset_response.get_data(), 6))
            asset_response.close()
        figures[page.name] = {
            "status": response.status_code,
            "queries": len(statements),
            "kb": weight / 1024,
            "requests": 1 + len(set(assets)),
        }
    return page_list, figures


def main() -> int:
    if not shutil.which("wrk"):
        print("make bench needs wrk (apt-get install wrk)", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {
        **os.environ,
        "FLASK_APP": "wsgi:app",
        "CONSORTIUM_ENV": "production",
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}",
        "CONSORTIUM_SESSION_COOKIE_SECURE": "false",
        "CONSORTIUM_MAIL_SEND_ON_COMMIT": "false",
        "CONSORTIUM_LOGIN_LIMIT_PER_ADDRESS": '"10000 per minute"',
        "CONSORTIUM_LOGIN_LIMIT_PER_ACCOUNT": '"10000 per minute"',
    }
    flask = str(Path(sys.executable).parent / "flask")
    started = time.monotonic()
    for command in (["db", "upgrade"], ["demo", "load"], ["bench", "seed"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"database seeded in {time.monotonic() - started:.1f} s ({env['DATABASE_URL']})")
    page_list, figures = measure_in_process(env, pages)

    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD

    app_server, app_base = serve("wsgi:app", env)
    hello_server, hello_base = serve("tests.bench.hello:app", env)
    try:
        cookie = sign_in(app_base, BENCH_MEMBER, BENCH_PASSWORD)
        runs: dict[str, list[dict]] = {"hello": []} | {page.name: [] for page in page_list}
        for round_number in range(ROUNDS):
            runs["hello"].append(drive(hello_base + "/", None))
            for page in page_list:
                runs[page.name].append(drive(app_base + page.path, cookie if page.who == "member" else None))
            print(f"round {round_number + 1}/{ROUNDS} done", flush=True)
    finally:
        for server in (app_server, hello_server):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    report(runs, page_list, figures)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def report(runs, page_list, figures) -> None:
    median = {
        name: {key: statistics.median(run[key] for run in results) for key in results[0]}
        for name, results in runs.items()
    }
    hello = median["hello"]["rps"]
    lines = [
        f"gunicorn {' '.join(GUNICORN)}; wrk 1 thread, {CONNECTIONS} connections, {DURATION} s per page; "
        f"median of {ROUNDS} interleaved rounds; SQLite",
        "",
        "| page | who | req/s | x hello | target | p50 ms | p95 ms | errors | queries | KB gzip | requests |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| bare Flask hello | - | {hello:.0f} | 1.000 | - | {median['hello']['p50']:.1f} | "
        f"{median['hello']['p95']:.1f} | {median['hello']['errors']:.0f} | - | - | - |",
    ]
    for page in page_list:
        m, f = median[page.name], figures[page.name]
        ratio = m["rps"] / hello
        target = TARGETS[page.who]
        flag = "" if ratio >= target else " ✗"
        lines.append(
            f"| {page.name} | {page.who} | {m['rps']:.0f} | {ratio:.3f}{flag} | {target} | {m['p50']:.1f} | "
            f"{m['p95']:.1f} | {m['errors']:.0f} | {f['queries']} | {f['kb']:.1f} | {f['requests']} |"
        )
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
