"""Command-line tools."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.organisations.models import Organisation
from consortium.permissions import Role
from consortium.users.models import User


def test_users_create_makes_a_verified_account_with_a_role(app, db, organisation):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "boss@example.org",
            "--role",
            "admin",
            "--password",
            "Largo-Y-Seguro-2026",
            "--organisation",
            organisation.slug,
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert (
        user.role is Role.ADMIN
        and user.email_verified_at
        and user.memberships[0].organisation_id == organisation.id
    )


def test_users_create_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "x@example.org", "--password", "123456"])
    assert result.exit_code != 0 and "x@example.org" not in result.output.split("Error")[0]


def test_demo_load_is_idempotent(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == count >= 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
    members = db.session.scalars(sa.select(Organisation.slug).where(Organisation.is_consortium_member)).all()
    assert set(members) == {"ilda", "open-data-charter", "cepei"}


def test_bench_seed_makes_volume_once(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bench", "seed"]).exit_code == 0
    organisations = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert organisations >= 40
    runner.invoke(args=["bench", "seed"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == organisations
