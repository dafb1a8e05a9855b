"""`make bench`: what each page costs its users, as a ratio to a bare Flask "hello" under the same gunicorn.

One run: builds a fresh database (PostgreSQL unless BENCH_DATABASE=sqlite), loads the demo data and the
benchmark volume (`flask bench seed --scale 10`), serves the app twice (page cache off, and on) and the bare
hello app with identical gunicorn settings (`-k sync -w 4`), and drives each page with wrk for a bounded
time. Rounds are interleaved (hello, then every page, again and again) and the median of each figure is
reported. In-process, with the same views, it counts queries, weighs the page (gzip, HTML plus the CSS/JS/
icons it links) and takes the median CPU milliseconds of 50 requests; it does that again on a second database
seeded at `--scale 30`, to show which pages grow with the data.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import database, inprocess  # noqa: E402 (needs ROOT on the path)
from tests.bench.pages import Page, pages, targets  # noqa: E402
from tests.bench.report import write_report  # noqa: E402
from tests.bench.servers import CONNECTIONS, Server, drive, sign_in  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# 10: ~3,000 trainings, ~50,000 registrations, ~10,000 library versions, ~300 assessments
SCALE = int(os.environ.get("BENCH_SCALE", "10"))
LARGE_SCALE = int(os.environ.get("BENCH_LARGE_SCALE", "30"))  # 0 skips the growth comparison


def environment(url: str) -> dict:
    return {
        **os.environ,
        "FLASK_APP": "wsgi:app",
        "CONSORTIUM_ENV": "production",
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
        "CONSORTIUM_TRUSTED_HOSTS": '["127.0.0.1", "localhost"]',
        "CONSORTIUM_LOGIN_LIMIT_PER_ADDRESS": '"10000 per minute"',
        "CONSORTIUM_LOGIN_LIMIT_PER_ACCOUNT": '"10000 per minute"',
    }


def in_process_app(url: str):
    """An app on ``url`` with the page cache off, to count what a page really needs, in a process settled
    as a gunicorn worker is."""
    from consortium.app import create_app, settle_worker

    app = create_app({"PAGE_CACHE_SECONDS": 0, "SQLALCHEMY_DATABASE_URI": url})
    settle_worker()
    return app


def selected(page_list: list[Page]) -> list[Page]:
    # BENCH_PAGES="registration,autosave" measures only the pages whose names contain one of the words.
    wanted = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]
    return [page for page in page_list if not wanted or any(word in page.name for word in wanted)]


def load(base_env: dict, page_list: list[Page], t: dict, workdir: Path) -> dict[str, dict[str, list]]:
    """wrk rounds: {column: {page name: [one figure set per round]}}; columns are hello, off and on."""
    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD, BENCH_STAFF

    servers = {
        "off": Server("wsgi:app", {**base_env, "CONSORTIUM_PAGE_CACHE_SECONDS": "0"}),
        "on": Server("wsgi:app", base_env),
        "hello": Server("tests.bench.hello:app", base_env),
    }
    runs: dict[str, dict[str, list]] = {"hello": {"hello": []}, "off": {}, "on": {}}
    try:
        step = f"/safeguards/assessments/{t['draft']}/steps/O3"
        signed_in = {
            "member": sign_in(servers["off"].base, BENCH_MEMBER, BENCH_PASSWORD, step),
            "staff": sign_in(servers["off"].base, BENCH_STAFF, BENCH_PASSWORD, "/account"),
        }
        used = 0  # registration tokens spent: each run registers people no earlier run registered
        for round_number in range(ROUNDS):
            hello = drive(servers["hello"].base + "/", None, signed_in, 0, workdir)
            runs["hello"]["hello"].append(hello)
            for page in page_list:
                for column in ("off", "on") if page.cacheable else ("off",):
                    figures = drive(servers[column].base + page.path, page, signed_in, used, workdir)
                    runs[column].setdefault(page.name, []).append(figures)
                    if page.who == "token":  # requests still in flight when wrk stopped may have landed
                        used += int(figures["requests"]) + CONNECTIONS
            print(f"round {round_number + 1}/{ROUNDS} done", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    return {
        column: {
            name: {key: statistics.median(run[key] for run in results) for key in results[0]}
            for name, results in by_page.items()
        }
        for column, by_page in runs.items()
    }


def seeded_app(scale: int, workdir: Path, urls: list) -> tuple:
    """A database seeded at ``scale``, an in-process app on it, its record ids, the seconds seeding took."""
    url = database.create(scale, workdir)
    urls.append(url)  # dropped at the end, whatever happens
    seconds = database.seed(environment(url), scale)
    print(f"{database.KIND} seeded at scale {scale} in {seconds:.0f} s", flush=True)
    app = in_process_app(url)
    return app, targets(app), seconds


def main() -> int:
    if not shutil.which("wrk"):
        print("make bench needs wrk (apt-get install wrk)", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    urls: list[str] = []
    try:
        figures, large, page_list, t, seeded = _in_process(workdir, urls)
        env = environment(urls[0])
        os.environ.update(env)
        medians = load(env, page_list, t, workdir)
        run = (SCALE, LARGE_SCALE, seeded, ROUNDS)
        write_report(ROOT / "bench-results", medians, page_list, figures, large, run)
    finally:  # also when a step fails: the databases are this run's own
        for url in urls:
            database.drop(url)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _in_process(workdir: Path, urls: list[str]):
    app, t, seconds = seeded_app(SCALE, workdir, urls)
    page_list = selected(pages(t))
    large = seeded_app(LARGE_SCALE, workdir, urls)[:2] if LARGE_SCALE else None
    figures, large_figures = inprocess.measure(app, page_list, t, large=large)
    if LARGE_SCALE:
        database.drop(urls.pop())  # before the load: the machine is small
        print(f"measured in-process at scales {SCALE} and {LARGE_SCALE}", flush=True)
    return figures, large_figures, page_list, t, seconds


if __name__ == "__main__":
    sys.exit(main())
