"""Send one browser request from several OS processes at once, as several server workers would get it.

The test prepares the request in its own client (log-in, GET the form's page for its CSRF token and
submission key). Each server process (``tests.race``) takes that client's session cookie, warms up on
the form's page and sends the same request, all released together by the barrier.
"""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient

from consortium.db import db
from tests.race import ServerProcesses, overrides_of

PROCESSES = 2


def _send_same_request(app, job, barrier):
    cookie, page, method, url, data = job
    client = app.test_client()
    if cookie is not None:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    # Files travel as (bytes, filename): a stream cannot cross a process boundary.
    form = {
        key: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
        for key, value in data.items()
    }
    client.get(page)  # templates compiled, connection open: the requests then really meet
    barrier.wait(timeout=180)
    if method == "POST":
        response = client.post(url, data=form, content_type="multipart/form-data")
    else:
        response = client.open(url, method=method)
    response.close()
    return response.status_code, response.headers.get("Location", "")


class Workers(ServerProcesses):
    """``PROCESSES`` server processes on the test app's database, upload and counters folders."""

    def __init__(self, app: Flask, processes: int = PROCESSES):
        super().__init__(overrides_of(app), processes)

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
        job = (found.value if found else None, page or url, method, url, data or {})
        answers = self.run(_send_same_request, [job] * len(self.jobs))
        db.session.rollback()
        return answers
