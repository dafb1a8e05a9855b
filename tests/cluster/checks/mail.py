"""(d) Each e-mail reaches the SMTP server once although two workers, one per host, drain the outbox."""

from __future__ import annotations

import time

from tests.cluster.cluster import Cluster


def _outbox(cluster: Cluster) -> dict[str, str]:
    return dict(cluster.sql("SELECT message_id, status FROM outbox_messages"))


def wait_until_drained(cluster: Cluster, seconds: float = 120) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        outbox = _outbox(cluster)
        waiting = [status for status in outbox.values() if status in ("pending", "sending")]
        if not waiting or time.monotonic() > deadline:
            return outbox
        time.sleep(0.5)


def check(cluster: Cluster) -> None:
    outbox = wait_until_drained(cluster)
    statuses = set(outbox.values())
    assert statuses == {"sent"}, f"not every message was sent: {statuses}"
    time.sleep(1)  # the last SMTP conversation is recorded as sent just after the server's 250
    copies = cluster.inbox.copies()
    twice = {message_id: n for message_id, n in copies.items() if n > 1}
    assert not twice, f"delivered more than once: {twice}"
    assert set(copies) == set(outbox), (len(copies), len(outbox))
    by_host = cluster.inbox.by_host()
    assert len(by_host) == 2, f"one worker sent everything: {by_host}"
    cluster.figures["e-mail with both workers running (d)"] = (
        f"{len(outbox)} queued, {sum(copies.values())} delivered, none twice; "
        f"by worker {dict(sorted(by_host.items()))}"
    )


def check_after_host_loss(cluster: Cluster) -> None:
    """After (e): still no message twice. The dead host's worker may have died holding one claim;
    that message waits for its lease (5 minutes) and is then sent again with the same Message-ID."""
    outbox = wait_until_drained_but_for_the_dead(cluster)
    copies = cluster.inbox.copies()
    twice = {message_id: n for message_id, n in copies.items() if n > 1}
    assert not twice, f"delivered more than once: {twice}"
    claimed = [message_id for message_id, status in outbox.items() if status == "sending"]
    assert len(claimed) <= 1, f"claimed and never finished: {claimed}"
    unsent = set(outbox) - set(copies) - set(claimed)
    assert not unsent, f"never delivered: {len(unsent)}"
    cluster.figures["messages delivered in all"] = (
        f"{sum(copies.values())} of {len(outbox)} queued, none twice; by worker "
        f"{dict(sorted(cluster.inbox.by_host().items()))}; held by the dead worker: {len(claimed)}"
    )


def wait_until_drained_but_for_the_dead(cluster: Cluster, seconds: float = 120) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        outbox = _outbox(cluster)
        pending = [status for status in outbox.values() if status == "pending"]
        if not pending or time.monotonic() > deadline:
            time.sleep(1)
            return _outbox(cluster)
        time.sleep(0.5)
