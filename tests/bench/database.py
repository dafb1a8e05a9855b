"""A fresh benchmark database per scale: PostgreSQL by default, SQLite with BENCH_DATABASE=sqlite."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.servers import ROOT

KIND = os.environ.get("BENCH_DATABASE", "postgresql")
SERVER = os.environ.get("BENCH_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432")
# Two benches at once (two worktrees, say) must not drop each other's databases.
RUN = f"{os.getpid()}_{secrets.token_hex(3)}"


def name(scale: int) -> str:
    return f"bench_{RUN}_scale_{scale}"


def create(scale: int, workdir: Path) -> str:
    """An empty database for ``scale``, its SQLAlchemy URL."""
    if KIND == "sqlite":
        return f"sqlite:///{workdir / f'{name(scale)}.sqlite'}"
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name(scale)}"')
    return f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{name(scale)}"


def drop(url: str) -> None:
    if KIND == "sqlite":
        return
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def seed(env: dict, scale: int) -> float:
    """Migrate, load the demo and the framework, seed the volume; the seconds it took."""
    flask = str(Path(sys.executable).parent / "flask")
    started = time.monotonic()
    for command in (
        ["db", "upgrade"],
        ["demo", "load"],
        ["safeguards", "load-framework"],
        ["bench", "seed", "--scale", str(scale)],
    ):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    if KIND != "sqlite":
        # The planner's statistics, as autovacuum would have gathered them on a server that had taken in
        # this volume over time. The test server runs with autovacuum off: without this, the bench planned
        # every query for empty tables.
        import psycopg

        url = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ANALYZE")
    return time.monotonic() - started
