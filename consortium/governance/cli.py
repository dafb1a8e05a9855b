"""``flask governance digest --daily`` / ``--weekly``: the followers' digests (``services.digests``).

Run from the systemd timers (``deploy/systemd/consortium-governance-digest*``), on every host if need be:
each person's digest of a period is claimed once.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.governance.records import DigestFrequency
from consortium.governance.services.digests import send_digests

governance_cli = AppGroup("governance", help="Governance spaces.")


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
