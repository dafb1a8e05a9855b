"""(e) A host killed (SIGKILL, all its processes at once) in the middle of registrations and autosaves.

Every request the client saw succeed must be in the database; nothing may be half-written (each
registration has its e-mail in the outbox and the seat counter agrees with the rows; each answer
holds a save that was sent); only requests in flight on the dead host may fail; and nginx must stop
sending to the dead host within seconds (its passive check: the first failures mark it down).
"""

from __future__ import annotations

import time
from collections import Counter

from consortium.demo import PASSWORD as DEMO_PASSWORD
from tests.cluster import data
from tests.cluster.apphosts import host_of
from tests.cluster.checks.load import Load, Sent
from tests.cluster.cluster import Cluster
from tests.cluster.network import MACHINES, VISITORS

BEFORE, AFTER = 3.0, 8.0  # seconds of load before the kill, and after it
NOTICE_WITHIN = 5.0
DEAD = "app1"


def check(cluster: Cluster) -> None:
    race = cluster.seeded["failover"]
    load, began = Load(), time.time()
    teams = data.wizard_answers()
    for email, team in teams.items():
        visitor = cluster.visitor(VISITORS[2])
        visitor.log_in(email, DEMO_PASSWORD)
        visitor.token("/")
        codes = sorted(team["answers"])
        for half in (codes[::2], codes[1::2]):
            load.autosaves(visitor, team["assessment"], {c: team["answers"][c] for c in half}, email)
    load.registrations(cluster.visitor(), race.training_id, race.tokens, threads=8)
    time.sleep(BEFORE)
    killed_at = time.time()
    killed = cluster.processes.kill_machine(DEAD)
    time.sleep(AFTER)
    sent = load.finish()

    failed = [s for s in sent if not s.succeeded and s.status != 409]
    noticed = _noticed_after(cluster, killed_at)
    _check_registrations(cluster, race.training_id, sent)
    _check_answers(cluster, sent, {key: t for team in teams.values() for key, t in team["texts"].items()})
    assert noticed is not None and noticed < NOTICE_WITHIN, f"nginx noticed after {noticed} s"
    late = [s for s in failed if s.finished > killed_at + noticed + 1]
    assert not late, f"requests failed after nginx had noticed: {late[:5]}"
    hosts = Counter(
        host_of(entry.upstreams[-1])
        for entry in cluster.access_log()
        if entry.start >= began and entry.upstreams
    )
    kinds = Counter(s.kind for s in sent)
    cluster.figures["host killed under load (e)"] = (
        f"{len(sent)} requests ({kinds['registration']} registrations, {kinds['autosave']} autosaves), "
        f"by host {dict(sorted(hosts.items()))}; {killed} processes killed on {DEAD}; "
        f"{len(failed)} requests lost (statuses {dict(Counter(s.status for s in failed))}); "
        f"nginx stopped sending to {DEAD} {noticed:.2f} s after the kill"
    )
    cluster.figures["registrations attempted / confirmed (e)"] = (
        f"{kinds['registration']} / {sum(1 for s in sent if s.kind == 'registration' and s.succeeded)}"
    )


def _noticed_after(cluster: Cluster, killed_at: float) -> float | None:
    """Seconds from the kill to nginx's last try of the dead host (a request broken by the kill
    counts at its end; a request routed there afterwards, then retried elsewhere, at its start)."""
    dead = MACHINES[DEAD] + ":"
    tries = [
        entry.start if entry.start >= killed_at else entry.end
        for entry in cluster.access_log()
        if entry.end >= killed_at and any(u.startswith(dead) for u in entry.upstreams)
    ]
    return max(tries) - killed_at if tries else None


def _check_registrations(cluster: Cluster, training_id: int, sent: list[Sent]) -> None:
    rows = dict(cluster.sql("SELECT id, state FROM registrations WHERE training_id = %s", training_id))
    acknowledged = {s.answer["id"] for s in sent if s.kind == "registration" and s.status == 201}
    assert acknowledged <= set(rows), f"acknowledged but not stored: {acknowledged - set(rows)}"
    unmailed = cluster.sql(
        "SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE r.training_id = %s"
        " AND (SELECT count(*) FROM outbox_messages m WHERE m.to_email = u.email"
        "      AND m.template = 'trainings/notice') != 1",
        training_id,
    )
    assert not unmailed, f"registrations without exactly one notice in the outbox: {unmailed}"
    (counter,) = cluster.sql("SELECT confirmed_count FROM trainings WHERE id = %s", training_id)[0]
    assert counter == Counter(rows.values())["confirmed"], (counter, Counter(rows.values()))


def _check_answers(cluster: Cluster, sent: list[Sent], before: dict[str, str]) -> None:
    """Each answer holds the last save the client saw succeed, or a later one whose outcome it never
    learned (the host died after the commit); never anything else, never an older one."""
    stored = {
        f"{assessment}/{code}": text
        for assessment, code, text in cluster.sql(
            "SELECT a.assessment_id, p.code, a.justification FROM safeguards_answers a"
            " JOIN safeguards_processes p ON p.id = a.process_id"
        )
    }
    for key in {s.key for s in sent if s.kind == "autosave"}:
        saves = [s for s in sent if s.key == key]
        known = [s for s in saves if s.succeeded]
        last = known[-1].started if known else 0
        allowed = {s.payload for s in saves if s.started >= last and not s.succeeded and s.status != 409}
        allowed.add(known[-1].payload if known else before[key])
        assert stored[key] in allowed, (key, stored[key], [(s.payload, s.status) for s in saves])
