"""The audit log reads as sentences: named actions, a field/before/after table, local times, dropdowns."""

from __future__ import annotations

from datetime import UTC, datetime

from consortium.audit.models import AuditEvent


def test_changes_read_as_a_table_with_named_actions_and_local_times(client, login_as, staff, db):
    db.session.add(
        AuditEvent(
            action="update",
            object_type="organisations",
            object_id="7",
            created_at=datetime(2026, 12, 1, 4, 17, tzinfo=UTC),
            changes={"city": ["Bogotá", "Medellín"], "verified_at": [None, "2026-12-01T04:17:00+00:00"]},
        )
    )
    db.session.add(AuditEvent(action="organisation.verified", object_type="organisations", object_id="7"))
    staff.timezone = "America/Lima"
    db.session.commit()
    html = login_as(staff).get("/admin/audit").get_data(as_text=True)
    assert "Organización verificada" in html and "<code>organisation.verified</code>" not in html
    assert "Modificado" in html and "Organización 7" in html
    assert "<td>Bogotá</td><td>Medellín</td>" in html and "\\u00ed" not in html and "Medell\\u" not in html
    assert "30/11/26, 23:17" in html  # 04:17 UTC in Lima, with the zone named once
    assert "Las horas se muestran en hora de Perú." in html


def test_filters_are_dropdowns_and_dates(client, login_as, staff, db):
    db.session.add(AuditEvent(action="user.login", object_type="users", object_id="1"))
    db.session.add(AuditEvent(action="delete", object_type="invitations", object_id="2"))
    db.session.commit()
    on = login_as(staff)
    html = on.get("/admin/audit").get_data(as_text=True)
    assert '<select id="action" name="action">' in html and '<option value="user.login">Inició sesión' in html
    assert '<select id="object_type" name="object_type">' in html and 'type="date"' in html
    only = on.get("/admin/audit?action=user.login&since=2020-01-01").get_data(as_text=True)
    assert "Inició sesión" in only.split("<tbody>")[1] and "Eliminado" not in only.split("<tbody>")[1]


def test_an_unknown_action_in_a_link_neither_fails_nor_hides_the_filter(client, login_as, staff):
    response = login_as(staff).get("/admin/audit?action=old.code&object_type=%3Cscript%3E")
    assert response.status_code == 200
    assert '<option selected value="old.code">old.code</option>' in response.get_data(as_text=True)
