"""Personal data: the privacy page, downloading one's data, deleting one's account, and the purge that
cron runs. The kernel's own data is handled in ``account``; features plug in through
``consortium.personal_data``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from consortium import transaction
from consortium.privacy import services
from consortium.privacy.views import bp

privacy_cli = AppGroup("privacy", help="Personal data.")


@privacy_cli.command("purge")
def purge():
    """Erase personal data past its retention period (run daily by cron; running it again changes nothing)."""
    with transaction.writing(), transaction.action():
        counts = services.purge()
    click.echo("Records erased: " + ", ".join(f"{name}: {count}" for name, count in counts.items()))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(privacy_cli)
