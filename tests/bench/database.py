"""A fresh benchmark database per scale: PostgreSQL by default, SQLite with BENCH_DATABASE=sqlite."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.servers import ROOT

KIND = os.environ.get("BENCH_DATABASE", "postgresql")
SERVER = os.environ.get("BENCH_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432")


def create(scale: int, workdir: Path) -> str:
    """An empty database for ``scale``, its SQLAlchemy URL."""
    if KIND == "sqlite":
        return f"sqlite:///{workdir / f'bench-{scale}.sqlite'}"
    import psycopg

    name = f"bench_scale_{scale}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def drop(url: str) -> None:
    if KIND == "sqlite":
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    return time.monotonic() - started
