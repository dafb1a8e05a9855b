"""(a) Registrations fired at both hosts at once never exceed a training's capacity nor the
per-organisation limit, and the counter the seats are decided on agrees with the rows."""

from __future__ import annotations

import random
from collections import Counter

from tests.cluster.apphosts import host_of
from tests.cluster.cluster import Cluster, fire_at_once
from tests.cluster.data import Race


def register(cluster: Cluster, training_id: int, token: str):
    return cluster.visitor().post(
        f"/api/v1/trainings/{training_id}/registrations",
        json={"motivation": "cluster"},
        headers={"Authorization": f"Bearer {token}"},
    )


def check(cluster: Cluster) -> None:
    races: list[Race] = [cluster.seeded["capacity"], cluster.seeded["per_organisation"]]
    calls = [(race, token) for race in races for token in race.tokens]
    random.Random(17).shuffle(calls)
    answers = fire_at_once(calls, lambda call: register(cluster, call[0].training_id, call[1]).status)
    assert Counter(answers) == {201: len(calls)}, Counter(answers)
    for race in races:
        confirmed = _confirmed_by_organisation(cluster, race)
        total = sum(confirmed.values())
        seats = sum(
            min(race.per_organisation or race.capacity, n) for n in _people_by_organisation(race).values()
        )
        assert total == min(race.capacity, seats), (race, confirmed)  # full, never past full
        assert all(n <= (race.per_organisation or race.capacity) for n in confirmed.values()), confirmed
        (counter,) = cluster.sql("SELECT confirmed_count FROM trainings WHERE id = %s", race.training_id)[0]
        assert counter == total, (counter, total)
        rows = cluster.sql("SELECT count(*) FROM registrations WHERE training_id = %s", race.training_id)
        assert rows[0][0] == len(race.tokens)
    by_host = Counter(
        host_of(entry.upstreams[-1])
        for entry in cluster.access_log()
        if entry.method == "POST" and entry.path.endswith("/registrations") and entry.upstreams
    )
    assert len(by_host) == 2, f"one host got every registration: {by_host}"
    confirmed = "; ".join(
        f"{_total(cluster, race)} of {race.capacity} seats, {race.per_organisation} per organisation"
        for race in races
    )
    cluster.figures["registrations fired at once (a)"] = (
        f"{len(calls)} attempted, by host {dict(sorted(by_host.items()))}; confirmed {confirmed}"
    )


def _people_by_organisation(race: Race) -> Counter:
    return Counter(race.organisation_of.values())


def _confirmed_by_organisation(cluster: Cluster, race: Race) -> Counter:
    rows = cluster.sql(
        "SELECT organisation_id, count(*) FROM registrations WHERE training_id = %s AND state = 'confirmed'"
        " GROUP BY organisation_id",
        race.training_id,
    )
    return Counter(dict(rows))


def _total(cluster: Cluster, race: Race) -> int:
    return sum(_confirmed_by_organisation(cluster, race).values())
