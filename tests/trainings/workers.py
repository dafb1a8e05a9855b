"""Requests fired at once from several OS processes (``tests.race``), for the trainings' API races.

The pool stays up for the whole test module. A test hands over a batch of calls; they are spread over
the processes (round robin), which wait for each other at the barrier, then each fires its share from
one thread per call.
"""

from __future__ import annotations

import threading

from tests.race import TIMEOUT, ServerProcesses

PROCESSES = 4


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


def _fire_share(app, calls, barrier) -> list[dict]:
    answers: list[dict] = []
    threads = [threading.Thread(target=_answer, args=(app, call, answers)) for call in calls]
    barrier.wait(timeout=TIMEOUT)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return answers


class Workers(ServerProcesses):
    """``fire(calls)`` spreads the calls over the processes (round robin) and returns every answer.

    A call is a dict: ``method``, ``path`` and optionally ``json``, ``data`` (a form), ``headers``
    and ``cookie`` (the value of the session cookie). An answer has ``status``, ``json`` and ``location``.
    """

    def __init__(self, database_url: str):
        super().__init__({"SQLALCHEMY_DATABASE_URI": database_url}, PROCESSES)

    def fire(self, calls: list[dict]) -> list[dict]:
        shares = [calls[n::PROCESSES] for n in range(PROCESSES)]
        return [answer for answers in self.run(_fire_share, shares) for answer in answers]
