"""Send one request from several OS processes at once, as several server workers would get it.

The test prepares the request in its own client (log-in, GET the form's page for its CSRF token and
submission key). Each worker process has its own app on the test database, built once per test
session; for each request it takes that client's session cookie, warms up on the form's page and
sends the same request, all workers released together by a barrier. tests/trainings/test_concurrency.py
does the same over the API with bearer tokens.
"""

from __future__ import annotations

import io
import multiprocessing
import queue
import traceback

from flask import Flask
from flask.testing import FlaskClient

from consortium.db import db

PROCESSES = 2
TIMEOUT = 180


def _serve(overrides: dict, jobs, barrier, results) -> None:
    from consortium.app import create_app
    from tests.conftest import TEST_CONFIG

    # A failing request answers 500, as in production, instead of raising out of the test client.
    app = create_app({**TEST_CONFIG, **overrides, "PROPAGATE_EXCEPTIONS": False})
    while (job := jobs.get()) is not None:
        cookie, page, method, url, data = job
        try:
            client = app.test_client()
            if cookie is not None:
                client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
            # Files travel as (bytes, filename): a stream cannot cross a process boundary.
            form = {
                key: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
                for key, value in data.items()
            }
            client.get(page)  # templates compiled, connection open: the POSTs then really meet
            barrier.wait(timeout=TIMEOUT)
            if method == "POST":
                response = client.post(url, data=form, content_type="multipart/form-data")
            else:
                response = client.open(url, method=method)
            response.close()
            results.put((response.status_code, response.headers.get("Location", "")))
        except Exception:
            results.put(("crashed", traceback.format_exc()))
    with app.app_context():
        db.engine.dispose()


class Workers:
    """``PROCESSES`` server processes on the test app's database and upload folder."""

    def __init__(self, app: Flask, processes: int = PROCESSES):
        overrides = {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "STORAGE_BACKEND": app.config["STORAGE_BACKEND"],
        }
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(processes)  # kept: the children unpickle it after this returns
        self.results = context.Queue()
        self.jobs = [context.Queue() for _ in range(processes)]
        self.processes = [
            context.Process(target=_serve, args=(overrides, jobs, self.barrier, self.results))
            for jobs in self.jobs
        ]
        for process in self.processes:
            process.start()

    def send_at_once(
        self, client: FlaskClient, url: str, data: dict | None = None, *, method: str, page: str | None = None
    ) -> list:
        """Send ``method`` ``url`` (POST ``data``) from every process with ``client``'s session.

        Each process first GETs ``page`` (the form's page; ``url`` by default). Returns the answers,
        [(status, Location)] in no particular order. Afterwards the test's session is rolled back, so
        it reads what the processes committed rather than its own older snapshot.
        """
        found = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
        db.session.commit()  # end this test's transaction (and release SQLite's lock) first
        for jobs in self.jobs:
            jobs.put((found.value if found else None, page or url, method, url, data or {}))
        answers = [self._answer() for _ in self.jobs]
        db.session.rollback()
        crashed = [detail for status, detail in answers if status == "crashed"]
        assert not crashed, crashed[0]
        return answers

    def _answer(self):
        for _ in range(TIMEOUT):
            try:
                return self.results.get(timeout=1)
            except queue.Empty:
                assert all(process.is_alive() for process in self.processes), "a worker process died"
        raise AssertionError("no answer from the worker processes")

    def close(self) -> None:
        for jobs in self.jobs:
            jobs.put(None)
        for process in self.processes:
            process.join(timeout=60)
