"""``flask governance tick``: open scheduled consultations at their opening time and close them at their
closing time (run every few minutes by consortium-governance.timer)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import utcnow
from consortium.governance.services import GovernanceError, lifecycle

governance_cli = AppGroup("governance", help="Governance spaces.")


@governance_cli.command("tick")
def tick():
    """Make the planned moves whose time has come. Each one is made once, however often (or on however
    many hosts) this runs: the row is locked and the move checked again inside the lock."""
    # the followers' e-mails link to the consultation, built as in a request to the public address
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), transaction.writing():
        now = utcnow()
        with transaction.action():  # the list, then each move in a transaction of its own
            moves = lifecycle.due_moves(now)
        made = 0
        for consultation_id, step in moves:
            try:
                with transaction.action():
                    made += lifecycle.tick_one(consultation_id, step, now)
            except GovernanceError as refused:  # a space no longer active: it stays scheduled
                click.echo(f"Consultation {consultation_id} not moved: {refused.message}", err=True)
    click.echo(f"{made} consultation(s) opened or closed.")
