"""The audit log records who changed what, and only staff read it."""

from __future__ import annotations

import json
import logging
import re

import pyotp
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


def _events(db, **where):
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return db.session.scalars(query).all()


def test_changes_are_recorded_with_actor_and_values(client, submit, login_as, member, db):
    login_as(member)
    submit("/account", {"name": "Marta Nueva", "locale": "es", "timezone": "America/Lima"})
    [event] = _events(db, action="update", object_type="users")
    assert event.actor_id == member.id and event.actor_label == member.email
    assert event.changes["name"][1] == "Marta Nueva" and event.changes["timezone"] == [None, "America/Lima"]
    assert "password_hash" not in event.changes


def test_creation_and_log_in_are_recorded(client, submit, member, db):
    submit("/login", {"email": member.email, "password": "wrong-password"})
    submit("/login", {"email": member.email, "password": "Correcto-Caballo-Bateria-42"})
    actions = [e.action for e in _events(db)]
    assert "user.login_failed" in actions and "user.login" in actions


def test_a_refused_second_factor_code_is_recorded(client, submit, db):
    user = UserFactory(staff=True)
    db.session.commit()
    submit("/login", {"email": user.email, "password": PASSWORD})
    assert submit("/login/verify", {"code": "000000"}).status_code == 200  # the page with its error
    db.session.rollback()  # read what was committed, not what the test's session still holds
    [failed] = _events(db, action="user.login_failed")
    assert failed.summary == user.email and failed.changes == {"reason": "second-factor"}
    assert submit("/login/verify", {"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302
    assert [e.changes for e in _events(db, action="user.login")] == [{"method": "totp"}]


def test_staff_can_filter_the_log_and_members_cannot_read_it(client, login_as, staff, member, db, app):
    login_as(member)
    assert client.get("/admin/audit").status_code == 403
    staff_client = login_as(staff, on=app.test_client())
    response = staff_client.get("/admin/audit?action=user.")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Registro de auditoría" in html


def test_no_session_or_token_hash_reaches_the_audit_log_or_the_logs(
    app, client, submit, member, db, caplog, mail_outbox
):
    from consortium.users.models import ApiToken, UserSession

    caplog.set_level(logging.DEBUG)
    submit("/login", {"email": member.email, "password": "Correcto-Caballo-Bateria-42"})
    submit("/account", {"name": "script"}, action="/account/tokens")
    submit("/forgot-password", {"email": member.email})
    hashes = set(db.session.scalars(sa.select(UserSession.token_hash))) | set(
        db.session.scalars(sa.select(ApiToken.token_hash))
    )
    assert len(hashes) == 2
    logged = json.dumps([[e.summary, e.changes] for e in _events(db)]) + caplog.text
    assert not [digest for digest in hashes if digest in logged]


def test_every_secret_column_is_kept_out_of_the_audit_log(db):
    """A new model with a token, hash or secret column must say so in ``__audit__``."""
    leaks = []
    for mapper in db.Model.registry.mappers:
        options = getattr(mapper.class_, "__audit__", {})
        if options.get("skip"):
            continue
        for column in mapper.column_attrs:
            if re.search(r"hash|secret|token", column.key) and column.key not in options.get("exclude", ()):
                leaks.append(f"{mapper.class_.__name__}.{column.key}")
    assert leaks == []


def test_a_created_account_is_audited_with_its_id(db):
    from tests.audit_rows import creates_of

    user = UserFactory()
    db.session.commit()
    assert creates_of(user) == [str(user.id)]


def test_an_event_about_an_object_not_yet_flushed_names_its_id(db):
    from consortium import signals
    from tests.audit_rows import events_of

    user = UserFactory.build()
    db.session.add(user)
    signals.state_changed.send(user, action="user.invited")
    db.session.commit()
    assert user.id is not None and events_of(user, "user.invited") == [str(user.id)]
