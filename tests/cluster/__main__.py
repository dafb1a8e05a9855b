"""``make test-cluster``: ``python -m tests.cluster``, as root (it builds network namespaces).

Builds the cluster (tests/cluster/cluster.py), runs each check in order, prints the figures, and takes
everything down again. Exits 1 when a check failed.
"""

from __future__ import annotations

import signal
import sys
import time
import traceback

from tests.cluster import cluster
from tests.cluster.checks import failover, files, layout, logins, mail, registrations

CHECKS = [
    ("nginx: static files, cache headers, compression, redirects, unknown names", layout.check),
    ("(a) registrations at both hosts keep capacity and per-organisation limits", registrations.check),
    ("(b) log-in limits hold across hosts", logins.check),
    ("(d) each e-mail delivered once by two workers", mail.check),
    ("(c) a file uploaded through one host downloads through the other", files.check),
    ("(e) a host killed under load: nothing acknowledged lost, nginx notices", failover.check),
    ("(d) after the kill, still no e-mail twice", mail.check_after_host_loss),
]


def main() -> int:
    # `timeout` (make test-cluster) and CI stop a run with SIGTERM: exit through the clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    started = time.monotonic()
    outcomes = []
    print("Building the cluster:", flush=True)
    with cluster.running() as built:
        for name, check in CHECKS:
            began = time.monotonic()
            try:
                check(built)
                outcome = "PASS"
            except AssertionError:
                outcome = "FAIL"
                traceback.print_exc()
            outcomes.append(outcome)
            print(f"{outcome:8} {name} ({time.monotonic() - began:.1f} s)", flush=True)
        figures = built.figures
    print("\nCluster figures:")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    counts = ", ".join(f"{outcomes.count(outcome)} {outcome.lower()}" for outcome in ("PASS", "FAIL"))
    print(f"\n{counts} in {time.monotonic() - started:.0f} s (everything taken down)")
    return 1 if "FAIL" in outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
