"""Server processes for the concurrency tests: requests fired at once from several OS processes.

Each process builds its own app on the test database, as a gunicorn worker would, and stays up for the
whole test module (spawning one costs seconds). A test hands every process a batch of requests; the
processes wait for each other at a barrier, then each fires its batch from one thread per request.
"""

from __future__ import annotations

import multiprocessing
import threading

PROCESSES = 4
TIMEOUT = 120


def _answer(app, call, answers: list[dict]) -> None:
    client = app.test_client()
    if call.get("cookie"):
        client.set_cookie("session", call["cookie"])
    response = client.open(
        call["path"],
        method=call["method"],
        json=call.get("json"),
        data=call.get("data"),
        headers=call.get("headers") or {},
    )
    answers.append(
        {
            "status": response.status_code,
            "json": response.get_json(silent=True),
            "location": response.headers.get("Location"),
        }
    )


def _serve(database_url, jobs, barrier, results):
    from consortium.app import create_app
    from consortium.db import db
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    while (calls := jobs.get()) is not None:
        answers: list[dict] = []
        threads = [threading.Thread(target=_answer, args=(app, call, answers)) for call in calls]
        barrier.wait(timeout=TIMEOUT)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        results.put(answers)
    with app.app_context():
        db.engine.dispose()


class Workers:
    """``fire(calls)`` spreads the calls over the processes (round robin) and returns every answer.

    A call is a dict: ``method``, ``path`` and optionally ``json``, ``data`` (a form), ``headers``
    and ``cookie`` (the value of the session cookie). An answer has ``status``, ``json`` and ``location``.
    """

    def __init__(self, database_url: str):
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(PROCESSES)
        self.results = context.Queue()
        self.jobs = [context.Queue() for _ in range(PROCESSES)]
        self.processes = [
            context.Process(target=_serve, args=(database_url, jobs, self.barrier, self.results))
            for jobs in self.jobs
        ]
        for process in self.processes:
            process.start()

    def fire(self, calls: list[dict]) -> list[dict]:
        for n, jobs in enumerate(self.jobs):
            jobs.put(calls[n::PROCESSES])
        return [answer for _ in self.jobs for answer in self.results.get(timeout=3 * TIMEOUT)]

    def close(self) -> None:
        for jobs in self.jobs:
            jobs.put(None)
        for process in self.processes:
            process.join(timeout=60)
            if process.exitcode is None:
                process.kill()
