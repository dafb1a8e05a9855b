"""(b) Log-in limits hold across hosts: both hosts count failures in the one Redis, so a guesser gets
the configured number of tries in all, not that number per host (nor per gunicorn worker).

Each part comes from its own address on the bridge, so one part's per-address count never decides
another's. Guesses go one after another (nginx spreads them over both hosts), then a burst of guesses
at once on one account: each attempt takes its try in Redis before its password is checked
(``consortium.users.limits``), so attempts in flight together get the limit in all, not more.
"""

from __future__ import annotations

from collections import Counter

from tests.cluster.apphosts import host_of
from tests.cluster.cluster import Cluster, fire_at_once
from tests.cluster.data import BURST_EMAIL, LOCKED_EMAIL
from tests.cluster.network import VISITORS

PER_ACCOUNT, PER_ADDRESS = 6, 20  # consortium/config.py: LOGIN_LIMIT_PER_ACCOUNT, _PER_ADDRESS
BURST = 18


def _guesser(cluster: Cluster, source: str):
    visitor = cluster.visitor(source)
    csrf = visitor.token("/login")  # one session, as one guessing script would have

    def guess(email: str) -> int:
        form = {"csrf_token": csrf, "email": email, "password": "not-the-password"}
        return visitor.status("POST", "/login", data=form)

    return guess


def check(cluster: Cluster) -> None:
    before = len(cluster.access_log())
    guess = _guesser(cluster, VISITORS[0])
    one_account = [guess(LOCKED_EMAIL) for _ in range(2 * PER_ACCOUNT)]
    assert one_account == [200] * PER_ACCOUNT + [429] * PER_ACCOUNT, one_account
    guess = _guesser(cluster, VISITORS[1])
    one_address = [guess(f"nobody{n}@cluster.example") for n in range(PER_ADDRESS + 5)]
    assert one_address == [200] * PER_ADDRESS + [429] * 5, one_address
    hosts = Counter(
        host_of(entry.upstreams[-1])
        for entry in cluster.access_log()[before:]
        if entry.method == "POST" and entry.path == "/login" and entry.upstreams
    )
    assert len(hosts) == 2 and min(hosts.values()) >= PER_ACCOUNT // 2, f"hosts answered {hosts}"
    burst = Counter(fire_at_once([BURST_EMAIL] * BURST, _guesser(cluster, VISITORS[3])))
    assert burst == {200: PER_ACCOUNT, 429: BURST - PER_ACCOUNT}, f"a burst of {BURST} at once: {burst}"
    cluster.figures["log-in limits across hosts (b)"] = (
        f"one account, one guess after another: {PER_ACCOUNT} tried of {len(one_account)} (limit "
        f"{PER_ACCOUNT}); one address: {PER_ADDRESS} of {len(one_address)} (limit {PER_ADDRESS}); "
        f"by host {dict(sorted(hosts.items()))}; a burst of {BURST} at once on one account: "
        f"{burst[200]} tried (limit {PER_ACCOUNT})"
    )
