"""The audit log records who changed what, and only staff read it."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent


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


def test_staff_can_filter_the_log_and_members_cannot_read_it(client, login_as, staff, member, db, app):
    login_as(member)
    assert client.get("/admin/audit").status_code == 403
    staff_client = login_as(staff, on=app.test_client())
    response = staff_client.get("/admin/audit?action=user.")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Registro de auditoría" in html
