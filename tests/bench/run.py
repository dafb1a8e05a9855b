"""`make bench`: throughput of our pages as a ratio to a bare Flask "hello" under the same gunicorn.

One run: builds a fresh SQLite database (the embedded default), loads the demo data and the benchmark
volume (`flask bench seed`), serves the app and the bare hello app with identical gunicorn settings,
and drives each page with wrk from a second process on 127.0.0.1 for a bounded time. Three rounds,
interleaved (hello, then every page, again and again), and the median of each figure is reported.
Queries per request and page weight (gzip, HTML + the CSS/JS/icons it links, request count) are
measured in-process with the test client, which sees exactly the same views.
"""

from __future__ import annotations

import functools
import gzip
import http.cookiejar
import json
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
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.lua import json_post_lua, registration_lua  # noqa: E402 (needs ROOT on the path)

WORKERS, THREADS = 2, 4
GUNICORN = ["-k", "gthread", "--workers", str(WORKERS), "--threads", str(THREADS), "--log-level", "warning"]
DURATION, CONNECTIONS, ROUNDS = int(os.environ.get("BENCH_SECONDS", "5")), 16, 3
SCALE = int(
    os.environ.get("BENCH_SCALE", "10")
)  # 10: ~3,000 trainings, ~50,000 registrations, ~10,000 versions
TARGETS = {"anonymous": 0.25, "member": 0.15, "token": 0.15}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Page:
    name: str
    path: str
    who: str = (
        "anonymous"  # "member": the seeded bench member, signed in; "token": seeded people's API tokens
    )
    lua: str = ""  # extra wrk Lua (method, body, headers, per-request paths) for write requests


def pages() -> list[Page]:
    """The measured pages. Ids come from the seeded database (see ``targets``)."""
    t = targets()
    return [
        Page("in-app minimal (/healthz)", "/healthz"),
        Page("home", "/"),
        Page("log-in form", "/login"),
        Page("organisations list", "/organisations"),
        Page("home (signed in)", "/", "member"),
        Page("account (signed in)", "/account", "member"),
        Page("trainings catalogue", "/trainings"),
        Page("trainings catalogue (signed in)", "/trainings", "member"),
        Page("training page", f"/trainings/{t['training']}"),
        Page("registration form", f"/trainings/{t['training']}/register", "member"),
        Page(
            "registration (API POST, new person each time)",
            f"/api/v1/trainings/{t['training']}/registrations",
            "token",
            lua=registration_lua(t["tokens"]),
        ),
        Page("library list", "/library"),
        Page("library guide", f"/library/es/{t['guide']}"),
        Page("library search 'informacion'", "/library?q=informacion"),
        Page("library search 'identificacao' (pt_BR)", "/library?q=identificacao&lang=pt_BR"),
        Page("wizard step O3 (24 items)", f"/safeguards/assessments/{t['draft']}/steps/O3", "member"),
        Page(
            "autosave (JSON POST, same answer)",
            f"/safeguards/assessments/{t['draft']}/answers/O3.1",
            "member",
            lua=json_post_lua(json.dumps(t["autosave"])),
        ),
        Page("results (team draft)", f"/safeguards/assessments/{t['draft']}/results", "member"),
        Page("results (published, public)", f"/safeguards/assessments/{t['published']}/results"),
    ]


_targets: dict = {}


def targets() -> dict:
    """Ids of seeded records to measure, looked up once (in-process, before the servers start)."""
    if _targets:
        return _targets
    import sqlalchemy as sa

    from consortium.db import db
    from consortium.library.models import ResourceVersion
    from consortium.users.models import User
    from consortium.users.services import create_api_token
    from safeguards.models import Assessment, Pilot
    from trainings.models import Training

    with _app().app_context():
        _targets["training"] = db.session.scalar(
            sa.select(Training.id).where(Training.trainers == "bench").order_by(Training.id).limit(1)
        )
        _targets["guide"] = db.session.scalar(
            sa.select(ResourceVersion.slug).where(
                ResourceVersion.language == "es", ResourceVersion.slug.like("identidad-digital%")
            )
        )
        pilots = {
            title: pid
            for pid, title in db.session.execute(
                sa.select(Pilot.id, Pilot.title).where(Pilot.title.in_(["Bench pilot 0", "Bench pilot 1"]))
            )
        }
        assessment = {
            pilot: aid
            for aid, pilot in db.session.execute(
                sa.select(Assessment.id, Assessment.pilot_id).where(Assessment.pilot_id.in_(pilots.values()))
            )
        }
        _targets["draft"] = assessment[pilots["Bench pilot 0"]]
        _targets["published"] = assessment[pilots["Bench pilot 1"]]
        people = db.session.scalars(
            sa.select(User).where(User.email.like("bench-%@example.org")).order_by(User.id).offset(1)
        ).all()
        _targets["tokens"] = [create_api_token(person, "bench")[1] for person in people]
        db.session.commit()
    _targets["autosave"] = _saved_answer(_targets["draft"], "O3.1")
    return _targets


def _saved_answer(assessment_id: int, process: str) -> dict:
    """The item as saved, learnt the way the wizard learns it: a save based on version 0 answers 409 with
    the current version. Sending that back unchanged is the autosave heartbeat (validated, compared,
    nothing written).
    """
    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD

    client = _app().test_client()
    client.post(
        "/login",
        data={"csrf_token": _csrf(client, "/login"), "email": BENCH_MEMBER, "password": BENCH_PASSWORD},
    )
    csrf = _csrf(client, f"/safeguards/assessments/{assessment_id}/steps/{process.split('.')[0]}")
    response = client.post(
        f"/safeguards/assessments/{assessment_id}/answers/{process}",
        json={"version": 0},
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )
    current = response.get_json()["current"]
    return {
        field: current[field]
        for field in ("choice", "evidence", "justification", "links", "confidence", "version")
    }


def _csrf(client, page: str) -> str:
    return CSRF.search(client.get(page).get_data(as_text=True)).group(1)


@functools.cache
def _app():
    """One in-process app per run; the page cache is off to count the queries a page really needs."""
    from consortium.app import create_app

    return create_app({"PAGE_CACHE_SECONDS": 0})


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


def drive(url: str, page: Page | None, member: dict, round_number: int, workdir: Path) -> dict[str, float]:
    """One bounded wrk run; ``page.lua`` adds the request shape, stats.lua the reporting."""
    script = workdir / "run.lua"
    script.write_text((page.lua if page else "") + (ROOT / "tests/bench/stats.lua").read_text())
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", str(script), url]
    if page and page.who == "member":
        command[1:1] = ["-H", f"Cookie: {member['cookie']}", "-H", f"X-CSRFToken: {member['csrf']}"]
    command += ["--", str(round_number * 1300)]  # registrations: each round starts with new people
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"BENCH (.*)", result.stdout)
    if found is None:
        raise RuntimeError(f"wrk gave no figures for {url}: {result.stdout} {result.stderr}")
    line = found.group(1)
    return {key: float(value) for key, value in (pair.split("=") for pair in line.split())}


def sign_in(base: str, email: str, password: str, csrf_page: str) -> dict:
    """Log in through the real form; return the session cookie and a CSRF token for JSON writes."""
    # Production cookies are Secure; the benchmark talks plain HTTP on loopback, as a TLS proxy would.
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "http")))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(base + "/login").read().decode()).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/login", data=data).read()
    csrf = CSRF.search(opener.open(base + csrf_page).read().decode()).group(1)
    return {"cookie": "; ".join(f"{c.name}={c.value}" for c in jar), "csrf": csrf}


def measure_in_process(page_list: list[Page]) -> dict:
    """Queries per request and compressed page weight, with the same views through the test client."""
    import sqlalchemy as sa

    from consortium.db import db
    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD

    app = _app()
    with app.app_context():
        engine = db.engine
    # https: the test client must send the production cookies, which are Secure.
    anonymous = app.test_client()
    member = app.test_client()
    member.environ_base["wsgi.url_scheme"] = "https"
    token = CSRF.search(member.get("/login").get_data(as_text=True)).group(1)
    member.post("/login", data={"csrf_token": token, "email": BENCH_MEMBER, "password": BENCH_PASSWORD})
    draft_step = f"/safeguards/assessments/{targets()['draft']}/steps/O3"
    csrf = CSRF.search(member.get(draft_step).get_data(as_text=True)).group(1)
    figures: dict[str, dict] = {}
    for page in page_list:
        client = member if page.who == "member" else anonymous
        if page.lua:  # writes: one real request (the last seeded person registers; the answer is saved)
            request = _write_request(page, csrf)
        else:
            request = {"method": "GET"}
            client.get(page.path)  # warm caches (templates, translations) before counting
        statements: list[str] = []

        def listener(*args, into=statements):
            into.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        response = client.open(page.path, **request)
        sa.event.remove(engine, "before_cursor_execute", listener)
        body = response.get_data()
        assets = set(re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|js|svg)(?:\?v=\w+)?)"', body))
        weight = len(gzip.compress(body, 6))
        for asset in assets:
            asset_response = client.get(asset.decode())
            weight += len(gzip.compress(asset_response.get_data(), 6))
            asset_response.close()
        figures[page.name] = {
            "status": response.status_code,
            "queries": len(statements),
            "kb": weight / 1024,
            "requests": 1 + len(assets),
        }
    return figures


def _write_request(page: Page, csrf: str) -> dict:
    if "registrations" in page.path:
        return {
            "method": "POST",
            "json": {},
            "headers": {"Authorization": f"Bearer {targets()['tokens'][-1]}"},
        }
    body = re.search(r"wrk.body = \[\[(.*)\]\]", page.lua).group(1)
    return {
        "method": "POST",
        "data": body,
        "content_type": "application/json",
        "headers": {"X-CSRFToken": csrf, "Accept": "application/json"},
    }


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
        "CONSORTIUM_TRUSTED_HOSTS": '["127.0.0.1", "localhost"]',
        "CONSORTIUM_LOGIN_LIMIT_PER_ADDRESS": '"10000 per minute"',
        "CONSORTIUM_LOGIN_LIMIT_PER_ACCOUNT": '"10000 per minute"',
    }
    flask = str(Path(sys.executable).parent / "flask")
    started = time.monotonic()
    for command in (
        ["db", "upgrade"],
        ["demo", "load"],
        ["safeguards", "load-framework"],
        ["bench", "seed", "--scale", str(SCALE)],
    ):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"database seeded at scale {SCALE} in {time.monotonic() - started:.0f} s", flush=True)
    os.environ.update(env)
    # BENCH_PAGES="registration,autosave" measures only the pages whose names contain one of the words.
    wanted = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]
    page_list = [page for page in pages() if not wanted or any(word in page.name for word in wanted)]
    figures = measure_in_process(page_list)

    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD

    app_server, app_base = serve("wsgi:app", env)
    hello_server, hello_base = serve("tests.bench.hello:app", env)
    try:
        member = sign_in(
            app_base, BENCH_MEMBER, BENCH_PASSWORD, f"/safeguards/assessments/{targets()['draft']}/steps/O3"
        )
        runs: dict[str, list[dict]] = {"hello": []} | {page.name: [] for page in page_list}
        for round_number in range(ROUNDS):
            runs["hello"].append(drive(hello_base + "/", None, member, round_number, workdir))
            for page in page_list:
                runs[page.name].append(drive(app_base + page.path, page, member, round_number, workdir))
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
        f"median of {ROUNDS} interleaved rounds; SQLite seeded with `flask bench seed --scale {SCALE}`",
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
        flag = "" if ratio >= target else " (below)"
        weight = f"{f['kb']:.1f}" if not page.lua else "-"
        lines.append(
            f"| {page.name} | {page.who} | {m['rps']:.0f} | {ratio:.3f}{flag} | {target} | {m['p50']:.1f} | "
            f"{m['p95']:.1f} | {m['errors']:.0f} | {f['queries']} | {weight} | {f['requests']} |"
        )
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
