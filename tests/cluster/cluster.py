"""Build the whole cluster, hand it to the checks, and take it all down again, whatever happens.

Order: network, SMTP server, PostgreSQL and Redis, the release steps on app1 (migrations, demo data),
the test's own data, both app hosts (gunicorn and a mail worker each), nginx.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import urllib3

from tests.cluster import data, datastores, proxy
from tests.cluster.apphosts import AppHosts
from tests.cluster.client import Visitor
from tests.cluster.network import CLIENT, Network
from tests.cluster.processes import Processes
from tests.cluster.smtp import Inbox, SmtpServer


@dataclass
class Cluster:
    workdir: Path
    processes: Processes
    hosts: AppHosts
    inbox: Inbox
    certificate: Path
    seeded: dict
    figures: dict = field(default_factory=dict)  # what the report prints, filled by the checks

    def visitor(self, source: str = CLIENT) -> Visitor:
        return Visitor(self.certificate, source)

    def sql(self, query: str, *params) -> list[tuple]:
        """Read what the hosts committed, straight from the shared database."""
        dsn = f"host={datastores.DB_ADDRESS} user=postgres dbname={datastores.DATABASE}"
        with psycopg.connect(dsn) as conn:
            return conn.execute(query, params).fetchall()

    def access_log(self) -> list[proxy.Entry]:
        return proxy.access_log(self.workdir)


@contextlib.contextmanager
def running():
    workdir = Path(tempfile.mkdtemp(prefix="consortium-cluster-"))
    workdir.chmod(0o755)  # the postgres user must reach its data folder inside
    (workdir / "logs").mkdir()
    try:
        with Network() as network, SmtpServer() as inbox:
            processes = Processes(network, workdir / "logs")
            try:
                yield _start(workdir, processes, inbox)
            except BaseException:
                _print_logs(processes)
                raise
            finally:
                processes.stop_all()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _start(workdir: Path, processes: Processes, inbox: Inbox) -> Cluster:
    step = _Steps()
    datastores.start(processes, workdir)
    step.done("PostgreSQL and Redis on the db machine")
    hosts = AppHosts(processes, workdir)
    hosts.flask("app1", "db", "upgrade")
    hosts.flask("app1", "demo", "load")
    step.done("migrations and demo data, run on app1")
    seeded = data.seed()
    step.done("the test's people, tokens and trainings")
    hosts.start()
    step.done("gunicorn and a mail worker on app1 and app2, both healthy")
    certificate = proxy.start(processes, workdir)
    cluster = Cluster(workdir, processes, hosts, inbox, certificate, seeded)
    _wait_for_proxy(cluster)
    step.done("nginx on the proxy machine")
    return cluster


def _wait_for_proxy(cluster: Cluster) -> None:
    visitor, answer = cluster.visitor(), None
    for _ in range(100):
        try:
            answer = visitor.get("/healthz")
            if answer.status == 200:
                return
        except urllib3.exceptions.HTTPError as error:
            answer = error
        time.sleep(0.2)
    raise RuntimeError(f"nginx never answered /healthz ({answer}):\n" + cluster.processes.tail("nginx"))


def fire_at_once(calls: list, send) -> list:
    """``send(call)`` for every call, each from its own thread, all released together."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        barrier.wait(timeout=60)
        return send(call)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


class _Steps:
    def __init__(self):
        self.started = time.monotonic()

    def done(self, what: str) -> None:
        print(f"  [{time.monotonic() - self.started:5.1f} s] {what}", flush=True)


def _print_logs(processes: Processes) -> None:
    for name, _machine, _process in processes.started:
        tail = processes.tail(name, 15)
        if tail:
            print(f"--- {name} (last lines) ---\n{tail}")
