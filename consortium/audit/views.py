from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from consortium.audit.changes import change_rows
from consortium.audit.labels import action_label, known_actions, known_objects, object_label
from consortium.audit.models import AuditEvent
from consortium.forms import ListFilterForm, SelectField, SingleLine
from consortium.i18n import lazy_gettext as _l
from consortium.pagination import paginate
from consortium.permissions import Permission, require
from consortium.timezones import select_timezone

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


class AuditFilterForm(ListFilterForm):
    actor = StringField(_l("Who (e-mail)"), validators=[Optional(), SingleLine()])
    action = SelectField(_l("Action"), validators=[Optional()])
    object_type = SelectField(_l("Kind of object"), validators=[Optional()])
    object_id = StringField(_l("Object number"), validators=[Optional(), SingleLine()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are the codes the platform registered, named in the reader's language; an old
        # code in a bookmarked link stays choosable, so the filter still shows what it asked for.
        self.action.choices = _choices(known_actions(), action_label, self.action.data, _l("All actions"))
        self.object_type.choices = _choices(
            known_objects(), object_label, self.object_type.data, _l("All kinds")
        )


def _choices(codes, label, current, everything) -> list[SelectChoice]:
    codes = set(codes) | ({current} if current else set())
    named = sorted((label(code), code) for code in codes)
    return [SelectChoice("", everything), *(SelectChoice(code, name) for name, code in named)]


@bp.route("/admin/audit")
@require(Permission.AUDIT_READ)
def index():
    form = AuditFilterForm(request.args)
    form.validate()
    zone = ZoneInfo(select_timezone())
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.actor.data:
        query = query.where(AuditEvent.actor_label.contains(form.actor.data.strip().lower()))
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.object_type.data:
        query = query.where(AuditEvent.object_type == form.object_type.data.strip())
    if form.object_id.data:
        query = query.where(AuditEvent.object_id == form.object_id.data.strip())
    if form.since.data and (since := _instant(form.since.data, time.min, zone)):
        query = query.where(AuditEvent.created_at >= since)
    if form.until.data and (until := _instant(form.until.data, time.max, zone)):
        query = query.where(AuditEvent.created_at <= until)
    page = paginate(query, PAGE_SIZE, count=False)
    return render_template(
        "audit/index.html",
        page=page,
        form=form,
        action_label=action_label,
        object_label=object_label,
        rows_of=change_rows,
    )


def _instant(day: date, moment: time, zone: ZoneInfo) -> datetime | None:
    """``moment`` of ``day`` in ``zone`` as UTC; None past either end of the calendar, where no bound
    is needed (9999-12-31 in Bogotá ends in the year 10000 UTC)."""
    try:
        return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return None
