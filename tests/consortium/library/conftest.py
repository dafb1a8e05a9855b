"""Library fixtures: ``make_resource`` builds a resource with versions through the services, and
``commit_fails`` makes the commit of a request fail as a database error would."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import has_request_context, request

from consortium.db import db as _db
from consortium.db import utcnow
from consortium.library import services
from consortium.library.models import ResourceKind, VersionStatus
from tests.factories import UserFactory


@pytest.fixture
def dpi_systems(db):
    """The kernel's reference DPI systems (the migration adds them; tables are emptied between tests)."""
    from consortium.reference.systems import ensure_reference_systems

    systems, _ = ensure_reference_systems()
    db.session.commit()
    return systems


@pytest.fixture
def make_resource():
    """``make_resource({"es": ("Título", "Texto")}, original="es", published=("es",), **fields)``."""
    author = None

    def make(versions: dict, *, original: str | None = None, published=None, commit=True, **fields):
        nonlocal author
        if author is None:
            author = UserFactory(staff=True, name="Autora")
        original = original or next(iter(versions))
        title, body = versions[original][:2]
        summary = versions[original][2] if len(versions[original]) > 2 else ""
        fields.setdefault("kind", ResourceKind.GUIDE)
        resource = services.create_resource(
            by=author, title=title, body=body, summary=summary, original_language=original, **fields
        )
        for language, values in versions.items():
            if language != original:
                services.save_version(
                    resource,
                    language,
                    by=author,
                    title=values[0],
                    body=values[1],
                    summary=values[2:][0] if values[2:] else "",
                )
        for language in versions if published is None else published:
            version = resource.version_in(language)
            version.status = VersionStatus.PUBLISHED
            version.published_at = utcnow()
        services.refresh_publication(resource)
        if commit:
            _db.session.commit()
        return resource

    return make


@pytest.fixture
def commit_fails(app, monkeypatch):
    """``commit_fails(path)``: every request to ``path`` fails at its commit; it answers 500."""
    paths: set[str] = set()

    def fail(session):
        if has_request_context() and request.path in paths:
            raise sa.exc.OperationalError("COMMIT", None, OSError("disk I/O error"))

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    sa.event.listen(sa.orm.Session, "before_commit", fail)
    yield paths.add
    sa.event.remove(sa.orm.Session, "before_commit", fail)
