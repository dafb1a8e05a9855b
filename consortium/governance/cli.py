"""``flask governance tick``: open scheduled consultations at their opening time and close them at their
closing time (run every few minutes by consortium-governance.timer); ``flask governance digest --daily`` /
``--weekly``: the followers' digests (``services.digests``), from the timers
``deploy/systemd/consortium-governance-digest*``, on every host if need be: each person's digest of a
period is claimed once."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import utcnow
from consortium.governance.records import DigestFrequency
from consortium.governance.services import GovernanceError, lifecycle
from consortium.governance.services.digests import send_digests

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


@governance_cli.command("digest")
@click.option("--daily", "frequency", flag_value=DigestFrequency.DAILY.value, default=True, help="Today's.")
@click.option("--weekly", "frequency", flag_value=DigestFrequency.WEEKLY.value, help="This week's.")
def digest(frequency):
    """E-mail each follower what happened since their last digest in what they follow."""
    # the links in the e-mails are built as in a request to the public address
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        transaction.writing(),
        transaction.action(),
    ):
        sent = send_digests(DigestFrequency(frequency))
    click.echo(f"Queued {sent} {frequency} governance digest(s).")
