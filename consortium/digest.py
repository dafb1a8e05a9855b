"""``flask digest staff``: one e-mail a day to each staff member listing what waits for them.

Run it from a systemd timer or cron on one host (``0 7 * * * cd /srv/consortium && .venv/bin/flask
digest staff``). It reads the same registry as staff's /home (``consortium.worklist.waiting_for``),
in each person's language, and writes nothing to anyone with nothing waiting.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from consortium import transaction
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.permissions import Role
from consortium.users.models import User
from consortium.worklist import waiting_for

digest_cli = AppGroup("digest", help="Digests of what waits for people.")


def send_staff_digests() -> int:
    """Queue one digest per active staff member with something waiting; the number queued."""
    staff = db.session.scalars(
        sa.select(User)
        .where(User.role.in_((Role.STAFF, Role.ADMIN)), User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    sent = 0
    for user in staff:
        if not user.is_active:
            continue
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            items = waiting_for(user)
        if not items:
            continue
        queue_email(
            user.email,
            "staff_digest",
            _l("What waits for you today"),
            to_name=user.name,
            locale=user.locale,
            items=items,
            base=base,
            url=public_url("main.my_home"),
        )
        sent += 1
    return sent


@digest_cli.command("staff")
def staff():
    """E-mail each staff member the organisations, reports, submissions and translations waiting for them."""
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        transaction.writing(),
        transaction.action(),
    ):
        sent = send_staff_digests()
    click.echo(f"Queued {sent} digests.")
