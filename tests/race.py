"""One harness for the races: server processes on the test database, released together by a barrier.

Each spawned process builds its own app on the test database (and the test app's upload and counters
folders), as a gunicorn worker would, and keeps it while the pool lives (spawning costs seconds). A test
hands every process a payload and a module-level ``runner(app, payload, barrier) -> result``; the runner
prepares (log-in cookie, the form's page), waits at the barrier so the requests really meet, sends, and
returns what it saw. Three runner styles use it:

- ``tests.parallel``: every process sends the same browser request (the kernel's and the library's races);
- ``tests.trainings.workers``: calls spread over the processes, each firing its share from threads (API);
- ``tests.safeguards.race``: a script of rounds per process, every write slowed so requests overlap.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable
from typing import Any

from consortium.db import db

TIMEOUT = 180
# Processes fork from one server that has already imported the app (about 2 s of CPU per process with
# "spawn", which a suite of races pays hundreds of times); the server itself is clean of the test's state:
# no connections, no threads, no monkeypatches, as a spawned process would be.
_PRELOAD = ["consortium.app", "tests.conftest", "tests.race"]


def process_context():
    """The multiprocessing context every test's server processes start from."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


Runner = Callable[[Any, Any, Any], Any]


def overrides_of(app) -> dict:
    """The settings a server process shares with the test's app."""
    return {
        key: app.config[key]
        for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "COUNTERS_FOLDER", "STORAGE_BACKEND")
    }


def _serve(overrides: dict, setup: Callable[[], None] | None, number: int, jobs, barrier, results) -> None:
    from consortium.app import create_app
    from tests.conftest import TEST_CONFIG

    # A failing request answers 500, as in production, instead of raising out of the test client.
    app = create_app({**TEST_CONFIG, **overrides, "PROPAGATE_EXCEPTIONS": False})
    if setup is not None:
        setup()
    while (job := jobs.get()) is not None:
        runner, payload = job
        try:
            results.put((number, runner(app, payload, barrier)))
        except Exception:
            results.put((number, Crashed(traceback.format_exc())))
    with app.app_context():
        db.engine.dispose()


class Crashed(str):
    """A runner's traceback, in place of its result."""


class ServerProcesses:
    """``count`` server processes; ``run(runner, payloads)`` gives each one payload, returns the results."""

    def __init__(self, overrides: dict, count: int, *, setup: Callable[[], None] | None = None):
        context = process_context()
        self.barrier = context.Barrier(count)  # kept: the children unpickle it after this returns
        self.results = context.Queue()
        self.jobs = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=_serve, args=(overrides, setup, n, jobs, self.barrier, self.results))
            for n, jobs in enumerate(self.jobs)
        ]
        for process in self.processes:
            process.start()

    def run(self, runner: Runner, payloads: list) -> list:
        """The results in process order; fails the test when a runner crashed or a process died."""
        for jobs, payload in zip(self.jobs, payloads, strict=True):
            jobs.put((runner, payload))
        results = dict(self._result() for _ in self.jobs)
        crashed = [result for result in results.values() if isinstance(result, Crashed)]
        assert not crashed, crashed[0]
        return [results[n] for n in range(len(self.jobs))]

    def _result(self):
        for _ in range(TIMEOUT):
            try:
                return self.results.get(timeout=1)
            except queue.Empty:
                assert all(process.is_alive() for process in self.processes), "a server process died"
        raise AssertionError("no answer from the server processes")

    def close(self) -> None:
        for jobs in self.jobs:
            jobs.put(None)
        for process in self.processes:
            process.join(timeout=60)
            if process.exitcode is None:
                process.kill()
