"""Counters that reading requests bump (a file's downloads), added to the database later by a worker.

A GET request never writes to the database (``tests/test_architecture.py``), and on SQLite a count per
download would queue every reader behind the single write lock. So, as GitLab's buffered counters and
Discourse's view counts do, a request only notes the event: ``bump("library.downloads", 42)`` appends one
line to a spool file of this process under ``COUNTERS_FOLDER``. ``flush()`` (``flask counters flush``,
from a timer, or ``--every`` as a worker) claims the spool files no process writes any more, adds them up
and hands ``{key: count}`` to the feature's registered ``apply`` in one transaction; the files go once
it committed and stay for the next flush if it failed. Several flushers at once never count a file twice:
each claims a file by renaming it, which only one of them can do.

Counts therefore reach the pages a flush later (``--every 60`` by default).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction

#: Seconds one spool file is written to; a flush takes only files of earlier periods.
PERIOD = 10
#: A claimed file still there after this long belongs to a flusher that died: it is counted again.
ABANDONED_AFTER = 600

Apply = Callable[[dict[str, int]], None]
_appliers: dict[str, Apply] = {}
counters_cli = AppGroup("counters", help="Counters noted by reading requests (downloads).")


def register(name: str, apply: Apply) -> None:
    """Features register ``apply({key: count})`` at init_app; it runs in the flush's transaction."""
    _appliers[name] = apply


def bump(name: str, key: int | str) -> None:
    """Note one event; nothing touches the database."""
    line = f"{key}\n".encode()
    if b"\n" in line[:-1] or b" " in line:
        raise ValueError(f"a counter key is one word: {key!r}")
    path = _folder() / f"{name}.{int(time.time()) // PERIOD}.{socket.gethostname()}-{os.getpid()}.spool"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)  # one short O_APPEND write: lines of several threads never interleave
    finally:
        os.close(descriptor)


def flush(*, now: float | None = None) -> dict[str, int]:
    """Add every finished spool file to the database; returns the number of events per counter."""
    current = int(time.time() if now is None else now) // PERIOD
    added: dict[str, int] = {}
    for name, apply in _appliers.items():
        with _claimed(name, current) as files:
            counts: Counter[str] = Counter()
            for path in files:
                counts.update(path.read_text(encoding="ascii").split())
            if counts:
                with transaction.writing(), transaction.action():
                    apply(dict(counts))
            added[name] = sum(counts.values())
    return added


@contextlib.contextmanager
def _claimed(name: str, current_period: int) -> Iterator[list[Path]]:
    """The spool files of ``name`` from finished periods, renamed so no other flusher takes them; removed
    when the block succeeded, handed back otherwise."""
    mine = f".claimed-{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}"
    for abandoned in _folder().glob(f"{name}.*.spool.claimed-*"):
        with contextlib.suppress(FileNotFoundError):
            if time.time() - abandoned.stat().st_ctime > ABANDONED_AFTER:  # a rename sets ctime
                abandoned.rename(abandoned.with_name(abandoned.name.split(".claimed-", 1)[0]))
    claimed = []
    for path in sorted(_folder().glob(f"{name}.*.spool")):
        if int(path.name.removeprefix(f"{name}.").split(".", 1)[0]) >= current_period:
            continue  # a process may still be writing to it
        target = path.with_name(path.name + mine)
        with contextlib.suppress(FileNotFoundError):  # another flusher claimed it first
            path.rename(target)
            claimed.append((path, target))
    try:
        yield [target for _, target in claimed]
    except BaseException:
        for path, target in claimed:
            target.rename(path)
        raise
    for _, target in claimed:
        target.unlink(missing_ok=True)


def _folder() -> Path:
    folder = Path(current_app.config["COUNTERS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@counters_cli.command("flush")
@click.option("--every", type=float, default=None, help="Keep flushing, every so many seconds (a worker).")
def flush_command(every):
    """Add the noted events (downloads) to the database; safe beside other flushers."""
    while True:
        for name, count in flush().items():
            if count or every is None:  # a worker stays quiet when nothing happened
                click.echo(f"{name}: {count}")
        if every is None:
            return
        time.sleep(every)
