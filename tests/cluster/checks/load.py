"""The load that runs while a host dies: registrations over the API and the wizard's autosaves.

Every request is recorded as the client saw it (``Sent``): what it asked, when, and the status, or
``NO_ANSWER`` when the connection broke. Autosaves keep each answer's version as the wizard's script
does: the version of their last save, or, after a 409, the version the server says is current.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from tests.cluster.client import NO_ANSWER, Visitor


@dataclass
class Sent:
    kind: str  # "registration" or "autosave"
    key: str  # the token, or "<assessment>/<process>"
    payload: str  # what the request would write (the justification), for autosaves
    started: float
    finished: float = 0.0
    status: int = NO_ANSWER
    answer: dict = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status in (200, 201)


class Load:
    def __init__(self):
        self.sent: list[Sent] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _record(self, sent: Sent, visitor: Visitor, path: str, **kwargs) -> None:
        try:
            response = visitor.post(path, **kwargs)
            sent.status = response.status
            sent.answer = (
                response.json()
                if response.headers.get("Content-Type", "").startswith("application/json")
                else {}
            )
        except Exception:  # the connection broke: the client does not know what happened
            sent.status = NO_ANSWER
        sent.finished = time.time()
        with self._lock:
            self.sent.append(sent)

    def registrations(self, visitor: Visitor, training_id: int, tokens, threads: int) -> None:
        tokens, lock = iter(tokens), threading.Lock()
        path = f"/api/v1/trainings/{training_id}/registrations"

        def run():
            while not self.stop.is_set():
                with lock:
                    token = next(tokens, None)
                if token is None:
                    return
                headers = {"Authorization": f"Bearer {token}"}
                sent = Sent("registration", token, "", time.time())
                self._record(sent, visitor, path, json={"motivation": "cluster"}, headers=headers)

        self._spawn(run, threads)

    def autosaves(self, visitor: Visitor, assessment: int, versions: dict[str, int], name: str) -> None:
        """One thread saving ``versions``' answers in turn, as one person typing through the wizard."""
        counter = itertools.count()

        def run():
            for code in itertools.cycle(sorted(versions)):
                if self.stop.is_set():
                    return
                text = f"{name} save {next(counter)}"
                body = {"choice": "2", "justification": text, "version": versions[code]}
                path = f"/safeguards/assessments/{assessment}/answers/{code}"
                sent = Sent("autosave", f"{assessment}/{code}", text, time.time())
                self._record(sent, visitor, path, json=body, headers={"X-CSRFToken": visitor.csrf})
                if sent.status == 200:
                    versions[code] = sent.answer["version"]
                elif sent.status == 409 and "current" in sent.answer:
                    versions[code] = sent.answer["current"]["version"]

        self._spawn(run, 1)

    def _spawn(self, target, count: int) -> None:
        for _ in range(count):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def finish(self) -> list[Sent]:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return sorted(self.sent, key=lambda sent: sent.started)
