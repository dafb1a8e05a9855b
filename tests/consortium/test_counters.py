"""Counters bumped by reading requests reach the database only through a flush, once each."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from consortium import counters

LATER = counters.PERIOD * 2


@pytest.fixture
def tally(app, db):
    seen: list[dict[str, int]] = []
    counters.register("test.events", seen.append)
    yield seen
    counters._appliers.pop("test.events")
    for path in _spool(app):
        path.unlink()


def _spool(app) -> list[Path]:
    return sorted(Path(app.config["COUNTERS_FOLDER"]).glob("test.events.*"))


def test_bumps_are_added_up_by_one_flush(app, tally):
    for key in (7, 7, 9):
        counters.bump("test.events", key)
    assert counters.flush(now=time.time())["test.events"] == 0  # the period is still being written
    assert counters.flush(now=time.time() + LATER)["test.events"] == 3
    assert tally == [{"7": 2, "9": 1}] and _spool(app) == []
    assert counters.flush(now=time.time() + LATER)["test.events"] == 0


def test_a_failed_flush_keeps_the_events_for_the_next(app, tally, monkeypatch):
    counters.bump("test.events", 7)

    def fails(counts):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(counters._appliers, "test.events", fails)
    with pytest.raises(RuntimeError):
        counters.flush(now=time.time() + LATER)
    monkeypatch.setitem(counters._appliers, "test.events", tally.append)
    assert counters.flush(now=time.time() + LATER)["test.events"] == 1


def test_a_file_another_flusher_claimed_is_not_counted_twice(app, tally):
    counters.bump("test.events", 7)
    (path,) = _spool(app)
    path.rename(path.with_name(path.name + ".claimed-elsewhere"))
    assert counters.flush(now=time.time() + LATER)["test.events"] == 0


def test_the_flush_command_adds_the_noted_events(app, tally):
    counters.bump("test.events", 7)
    (path,) = _spool(app)
    path.rename(path.with_name(path.name.replace(path.name.split(".")[2], "1", 1)))  # a finished period
    result = app.test_cli_runner().invoke(args=["counters", "flush"])
    assert result.exit_code == 0 and "test.events: 1" in result.output
