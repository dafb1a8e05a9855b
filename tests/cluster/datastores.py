"""The shared PostgreSQL and Redis, on their own machine ("db") of the cluster's network.

The machine's own PostgreSQL 15 and Redis listen on 127.0.0.1 only, which no namespace can reach, and
a test must not reconfigure them. So the cluster starts its own: ``initdb`` from Debian's PostgreSQL 15
binaries into the run's temporary folder (as the ``postgres`` user, which PostgreSQL requires), and a
``redis-server`` without persistence, both listening only on the db machine's address. Nothing of
them outlives the run. ``fsync`` is off: the test kills app hosts, never the database machine.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import psycopg
import redis

from tests.cluster.network import MACHINES, SUBNET
from tests.cluster.processes import Processes

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB_ADDRESS = MACHINES["db"]
DATABASE = "consortium"
DATABASE_URL = f"postgresql+psycopg://postgres@{DB_ADDRESS}:5432/{DATABASE}"
REDIS_PASSWORD = "cluster-redis"
REDIS_URL = f"redis://:{REDIS_PASSWORD}@{DB_ADDRESS}:6379/0"


def start(processes: Processes, workdir: Path) -> None:
    data, sockets = workdir / "pgdata", workdir / "pgsock"
    for folder in (data, sockets):
        folder.mkdir()
        shutil.chown(folder, "postgres", "postgres")
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    processes.run("initdb", "db", [*initdb, "--no-instructions"], user="postgres")
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all postgres {SUBNET}.0/24 trust\n")
    settings = {
        "listen_addresses": DB_ADDRESS,
        "unix_socket_directories": str(sockets),  # not /run/postgresql: the machine's own server is there
        "fsync": "off",
        "max_connections": "200",
    }
    options = [arg for key, value in settings.items() for arg in ("-c", f"{key}={value}")]
    processes.start(
        "postgresql", "db", [str(PG_BIN / "postgres"), "-D", str(data), *options], user="postgres"
    )
    redis_options = [
        "--bind",
        DB_ADDRESS,
        "--requirepass",
        REDIS_PASSWORD,
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    processes.start("redis", "db", ["redis-server", *redis_options, "--dir", str(workdir)])
    _wait(lambda: psycopg.connect(f"host={DB_ADDRESS} user=postgres dbname=postgres", connect_timeout=2))
    with psycopg.connect(f"host={DB_ADDRESS} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    _wait(lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())


def _wait(probe, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = probe()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
            continue
        if hasattr(result, "close"):
            result.close()
        return
