from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from wtforms import DateField, StringField
from wtforms.validators import Optional

from consortium.audit.models import AuditEvent
from consortium.forms import FilterForm
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import select_timezone
from consortium.pagination import paginate
from consortium.permissions import Permission, require

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


class AuditFilterForm(FilterForm):
    actor = StringField(_l("Who (e-mail)"), validators=[Optional()])
    action = StringField(_l("Action"), validators=[Optional()])
    object_type = StringField(_l("Object type"), validators=[Optional()])
    object_id = StringField(_l("Object id"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


@bp.route("/admin/audit")
@require(Permission.AUDIT_READ)
def index():
    form = AuditFilterForm(request.args)
    zone = ZoneInfo(select_timezone())
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.value("actor"):
        query = query.where(AuditEvent.actor_label.contains(form.value("actor").strip().lower()))
    if form.value("action"):
        query = query.where(AuditEvent.action.startswith(form.value("action").strip()))
    if form.value("object_type"):
        query = query.where(AuditEvent.object_type == form.value("object_type").strip())
    if form.value("object_id"):
        query = query.where(AuditEvent.object_id == form.value("object_id").strip())
    if form.value("since"):
        query = query.where(
            AuditEvent.created_at >= datetime.combine(form.value("since"), time.min).replace(tzinfo=zone)
        )
    if form.value("until"):
        query = query.where(
            AuditEvent.created_at <= datetime.combine(form.value("until"), time.max).replace(tzinfo=zone)
        )
    page = paginate(query, per_page=PAGE_SIZE, count=False)
    return render_template("audit/index.html", page=page, form=form)
