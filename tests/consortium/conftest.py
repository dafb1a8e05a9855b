"""Kernel and library fixtures: ``post_at_once`` and ``get_at_once`` send one request from several
server processes at once (``tests.parallel``)."""

from __future__ import annotations

import functools

import pytest

from tests.parallel import Workers


@pytest.fixture(scope="session")
def _workers(app):
    workers = Workers(app)
    yield workers
    workers.close()


@pytest.fixture
def post_at_once(_workers):
    """``post_at_once(client, url, data, page=None)``: see ``tests.parallel.Workers.send_at_once``."""
    return functools.partial(_workers.send_at_once, method="POST")


@pytest.fixture
def get_at_once(_workers):
    """``get_at_once(client, url, page=None)``."""
    return functools.partial(_workers.send_at_once, method="GET")
