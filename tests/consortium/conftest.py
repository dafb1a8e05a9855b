"""Kernel and library fixtures: ``post_at_once`` sends a form from several server processes at once."""

from __future__ import annotations

import pytest

from tests.parallel import Workers


@pytest.fixture(scope="session")
def _workers(app):
    workers = Workers(app)
    yield workers
    workers.close()


@pytest.fixture
def post_at_once(_workers):
    """``post_at_once(client, url, data, page=None)``: see ``tests.parallel.Workers.post_at_once``."""
    return _workers.post_at_once
