"""Writes AuditEvent rows: one per created, changed or deleted row, plus semantic events from signals."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from consortium.audit.models import AuditEvent
from consortium.db import db, utcnow

_IGNORED_COLUMNS = {"created_at", "updated_at", "version"}


def _actor() -> tuple[int | None, str, str]:
    if not has_request_context():
        return None, "system", ""
    ip = request.remote_addr or ""
    if current_user and current_user.is_authenticated:
        return current_user.id, current_user.email, ip
    return None, "anonymous", ip


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _audit_options(obj) -> dict:
    return getattr(type(obj), "__audit__", {})


def _row_changes(obj, *, created: bool) -> dict[str, Any]:
    """Old and new values per changed column. Two ``__audit__`` options keep values out of the log:
    ``exclude`` (secrets: the log says only that an existing one changed) and ``sensitive`` (personal
    data such as health needs: the log says that it was given or changed, never what it is)."""
    options = _audit_options(obj)
    secret, sensitive = set(options.get("exclude", ())), set(options.get("sensitive", ()))
    state = sa.inspect(obj)
    changes: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        if column.key in _IGNORED_COLUMNS or column.key in secret:
            continue
        history = state.attrs[column.key].history
        if created:
            value = getattr(obj, column.key)
            if value not in (None, "", [], {}):
                changes[column.key] = "changed" if column.key in sensitive else _plain(value)
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            changes[column.key] = "changed" if column.key in sensitive else [_plain(before), _plain(after)]
    for key in secret:
        if not created and state.attrs[key].history.has_changes():
            changes[key] = "changed"
    return changes


def _describe(obj) -> str:
    for attribute in ("name", "title", "email", "code", "slug"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value[:300]
    return ""


def _object_id(obj) -> str:
    """Its primary key. A row created in this flush has its id already but no identity key yet (the
    session assigns that after ``after_flush``), so read the key from the instance's columns."""
    state = sa.inspect(obj)
    values = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in values if part is not None)


def record_flush(session, flush_context) -> None:
    """after_flush: ids exist and attribute history is still there; insert rows on the same connection."""
    actor_id, actor_label, ip = _actor()
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if _audit_options(obj).get("skip") or not hasattr(obj, "__table__"):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = {} if action == "delete" else _row_changes(obj, created=action == "create")
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "created_at": utcnow(),
                    "actor_id": actor_id,
                    "actor_label": actor_label,
                    "action": action,
                    "object_type": obj.__tablename__,
                    "object_id": _object_id(obj),
                    "summary": _describe(obj),
                    "changes": changes,
                    "ip": ip,
                }
            )
    if rows:
        session.connection().execute(sa.insert(AuditEvent), rows)


def record(action: str, obj=None, *, summary: str = "", actor=None, changes: dict | None = None) -> None:
    state = sa.inspect(obj, raiseerr=False) if obj is not None else None
    if state is not None and state.pending:
        db.session.flush()  # a new object gets its id, which the row names
    actor_id, actor_label, ip = _actor()
    if actor is not None:
        actor_id, actor_label = actor.id, actor.email
    db.session.add(
        AuditEvent(
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=getattr(obj, "__tablename__", "") if obj is not None else "",
            object_id=_object_id(obj) if state is not None else "",
            summary=(summary or (_describe(obj) if obj is not None else ""))[:300],
            changes=changes or {},
            ip=ip,
        )
    )


def on_logged_in(user, how: str = "password", **_) -> None:
    record("user.login", user, actor=user, changes={"method": how})


def on_logged_out(user, **_) -> None:
    record("user.logout", user, actor=user)


def on_login_failed(email: str, reason: str = "", **_) -> None:
    record("user.login_failed", summary=email, changes={"reason": reason})


def on_state_changed(obj, action: str, by=None, summary: str = "", **extra) -> None:
    record(action, obj, actor=by, summary=summary, changes={k: _plain(v) for k, v in extra.items()})
