"""E-mail: the transactional outbox (``outbox``), the worker that delivers it (``delivery``) and the staff
page for messages that failed or wait (``views``). Features only call ``queue_email`` and ``public_url``."""

from __future__ import annotations

import threading

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from consortium.db import db, utcnow
from consortium.mail.delivery import DeliveryReport, build_email, deliver_pending, run_worker
from consortium.mail.outbox import MailStatus, OutboxMessage, compose_email, public_url, queue_email
from consortium.mail.views import bp

__all__ = [
    "DeliveryReport",
    "MailStatus",
    "OutboxMessage",
    "build_email",
    "compose_email",
    "deliver_pending",
    "public_url",
    "queue_email",
]

mail_cli = AppGroup("mail", help="Deliver queued e-mail.")


@mail_cli.command("send-pending")
@click.option("--limit", default=200, show_default=True)
def send_pending(limit):
    """Send the due messages once and exit (for cron); safe beside running workers."""
    report = deliver_pending(limit=limit)
    click.echo(f"sent {report.sent}, failed {report.failed} (will retry), given up {report.given_up}")


@mail_cli.command("worker")
@click.option("--poll", default=1.0, show_default=True, help="Seconds to wait when nothing is due.")
def worker(poll):
    """Deliver queued e-mail continuously until stopped (SIGTERM or Ctrl-C finish the current message)."""
    import signal

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("Mail worker started.")
    run_worker(stop, poll_seconds=poll)
    click.echo("Mail worker stopped.")


@mail_cli.command("status")
def mail_status():
    """Count outbox messages by status."""
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    for status, count in rows:
        click.echo(f"{status.value}: {count}")
    click.echo(f"checked at {utcnow().isoformat()}")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(mail_cli)
