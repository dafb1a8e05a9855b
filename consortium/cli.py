"""Command line: ``flask users``, ``flask demo load``, ``flask bench seed``, ``flask counters flush``."""

from __future__ import annotations

import secrets

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from consortium import counters, demo, seed, transaction
from consortium.db import db
from consortium.digest import digest_cli
from consortium.organisations.models import Membership, Organisation, OrganisationRole
from consortium.permissions import Role
from consortium.users import services as user_services
from consortium.users.passwords import password_problem

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
bench_cli = AppGroup("bench", help="Benchmark data.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True
)
@click.option(
    "--password", help="Prompted for when left out; a random one is printed with --random-password."
)
@click.option("--random-password", is_flag=True, help="Generate a password and print it.")
@click.option("--name", default="", help="Display name (defaults to the part before @).")
@click.option("--organisation", "organisation_slug", help="Slug of an organisation to join as its admin.")
def create_user(email, role, password, random_password, name, organisation_slug):
    """Create a verified account (for staff and admins, who then set up two-factor log-in)."""
    with transaction.action():  # a read only, ended before the prompt below
        taken = user_services.find_user(email) is not None
    if taken:
        raise click.ClickException(f"{email} already has an account.")
    if random_password:
        password = secrets.token_urlsafe(15)
    elif not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, related=[email, name])
    if problem:
        raise click.ClickException(problem)
    with transaction.writing(), transaction.action():
        organisation = None
        if organisation_slug:
            organisation = db.session.scalar(
                sa.select(Organisation).where(Organisation.slug == organisation_slug)
            )
            if organisation is None:
                raise click.ClickException(f"No organisation with slug {organisation_slug!r}.")
        user = user_services.create_user(
            email, name or email.split("@")[0], password, role=Role(role), verified=True
        )
        if organisation is not None:
            db.session.add(
                Membership(user_id=user.id, organisation_id=organisation.id, role=OrganisationRole.ADMIN)
            )
    click.echo(f"Created {user.email} ({role})." + (f" Password: {password}" if random_password else ""))


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True)
def create_token(email, name):
    """Print a new personal API token for EMAIL (shown once; only its hash is stored)."""
    with transaction.writing(), transaction.action():
        user = user_services.find_user(email)
        if user is None:
            raise click.ClickException(f"No account for {email}.")
        _, secret = user_services.create_api_token(user, name)
    click.echo(secret)


@demo_cli.command("load")
def load_demo():
    """Load realistic demonstration data. Running it again changes nothing."""
    with transaction.writing(), transaction.action():
        created = demo.load()
    click.echo(
        f"Demo data ready ({created} new records). Log in as ana@ilda.example, password: {demo.PASSWORD}"
    )


@bench_cli.command("seed")
@click.option("--scale", default=1, show_default=True, help="Multiplies every volume.")
def seed_bench(scale):
    """Fill the database with benchmark volumes (idempotent per database)."""
    with transaction.writing(), transaction.action():
        created = seed.seed(scale)
    click.echo(f"Seeded {created} records. Member log-in: {seed.BENCH_MEMBER} / {seed.BENCH_PASSWORD}")


def init_app(app: Flask) -> None:
    for group in (users_cli, demo_cli, bench_cli, counters.counters_cli, digest_cli):
        app.cli.add_command(group)
