"""Scripted races on assessments from several OS processes at once (the pool is ``tests.race``).

The test signs people in and reads the forms in its own process; each server process takes over a
browser's session cookie, waits at the barrier with the others and replays its rounds of requests.
Every request in those processes pauses after its first write (``SLOW_WRITE_SECONDS``), as a busy
server would, so the requests really overlap: a check made before another request's commit and a
write after it is exactly the race these tests look for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium.db import db
from tests.race import ServerProcesses

SLOW_WRITE_SECONDS = 0.3


@dataclass
class Request:
    """One HTTP request as a browser would send it (``data`` a form, ``json`` a script's body)."""

    method: str
    url: str
    data: dict | None = None
    json: dict | None = None
    headers: dict = field(default_factory=dict)
    cookie: str | None = None  # the browser's session cookie, when the job's own is not the one


@dataclass
class Outcome:
    status: int
    location: str = ""
    message: str = ""  # a JSON answer's message
    body: dict = field(default_factory=dict)
    html: str = ""


@dataclass
class Repeat:
    """Save one answer again and again (each time from the version the last save returned) until the
    server has refused ``late`` saves in a row, or ``times`` saves were sent."""

    request: Request
    version: int
    times: int = 20
    late: int = 3
    pause: float = 0.05


@dataclass
class Job:
    """What one process does: its browser cookie and, per round, one request (or a ``Repeat``).

    ``snapshot`` names an assessment whose answer versions the process reads right after its
    request, so the test can tell what changed after that request committed.
    """

    cookie: str | None
    rounds: list[Request | Repeat]
    delay: float = 0.0
    snapshot: int | None = None


def _client(app, cookie):
    client = app.test_client()
    if cookie:
        client.set_cookie("session", cookie)
    return client


def _send(client, request: Request) -> Outcome:
    response = client.open(
        request.url, method=request.method, data=request.data, json=request.json, headers=request.headers
    )
    body = response.get_json(silent=True) or {}
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    location = response.headers.get("Location", "")
    return Outcome(response.status_code, location, body.get("message", ""), body, html)


def _repeat(client, repeat: Repeat) -> list[Outcome]:
    outcomes, version, refused = [], repeat.version, 0
    for n in range(repeat.times):
        request = repeat.request
        body = {**(request.json or {}), "evidence": f"Borrador {n}"}
        headers = dict(request.headers)
        if request.method == "PUT":
            headers["If-Match"] = f'"{version}"'
        else:
            body["version"] = version
        outcome = _send(client, Request(request.method, request.url, json=body, headers=headers))
        outcomes.append(outcome)
        if outcome.status == 200:
            version = outcome.body["version"]
        else:
            refused += 1
            if refused >= repeat.late:
                break
        time.sleep(repeat.pause)
    return outcomes


def _answer_versions(app, assessment_id: int) -> dict[int, int]:
    from safeguards.models import Answer

    with app.app_context():
        rows = db.session.execute(
            sa.select(Answer.id, Answer.version).where(Answer.assessment_id == assessment_id)
        ).all()
        db.session.rollback()
    return dict(rows)


def _slow_writes(seconds: float) -> None:
    def pause_once(session, flush_context):
        if not session.info.get("paused"):
            session.info["paused"] = True
            time.sleep(seconds)

    sa.event.listen(sa.orm.Session, "after_flush", pause_once)


def _play(app, job: Job, barrier) -> list:
    clients = {}
    outcomes = []
    for step in job.rounds:
        cookie = (step.request if isinstance(step, Repeat) else step).cookie or job.cookie
        client = clients.get(cookie) or clients.setdefault(cookie, _client(app, cookie))
        barrier.wait(timeout=120)
        time.sleep(job.delay)
        if isinstance(step, Repeat):
            outcomes.append(_repeat(client, step))
        else:
            outcomes.append(_send(client, step))
        if job.snapshot is not None:
            outcomes.append(_answer_versions(app, job.snapshot))
    return outcomes


def _slow_every_first_write() -> None:
    _slow_writes(SLOW_WRITE_SECONDS)


def race(database_url: str, jobs: list[Job]) -> list[list]:
    """Run every job in its own process, each round released together; returns each job's outcomes."""
    processes = ServerProcesses(
        {"SQLALCHEMY_DATABASE_URI": database_url}, len(jobs), setup=_slow_every_first_write
    )
    try:
        outcomes = processes.run(_play, jobs)
    finally:
        processes.close()
    db.session.rollback()  # read what the processes wrote, not this session's older snapshot
    db.session.expire_all()
    return outcomes
