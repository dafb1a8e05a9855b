"""Benchmark data at scale: ``flask bench seed --scale N``.

Unlike the demo data (a small, hand-written story), seeding makes realistic *volume*: dozens of
organisations, hundreds of trainings, thousands of registrations, hundreds of resources. The kernel
seeds organisations and people; features register a seeder at init_app that adds their records.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Membership, Organisation, OrganisationKind, OrganisationRole
from consortium.permissions import Role
from consortium.reference.countries import LAC_COUNTRY_CODES
from consortium.users.models import User
from consortium.users.passwords import hash_password

BENCH_PASSWORD = "Banco-De-Pruebas-2026"  # noqa: S105 - a local benchmark account, printed by the command
BENCH_MEMBER = "bench-member@example.org"
BENCH_STAFF = "bench-staff@example.org"  # staff log in with two factors: the bench reads codes off this key
BENCH_TOTP_SECRET = "BENCHSTAFFAUTHENTICATORKEYAAAAAA"  # noqa: S105 - a local benchmark key

Seeder = Callable[[int, random.Random], int]
_seeders: list[Seeder] = []


def register(seeder: Seeder) -> None:
    """``seeder(scale, rng)`` adds a feature's records for ``scale`` (1 = the default volume)."""
    if seeder not in _seeders:
        _seeders.append(seeder)


def seed(scale: int = 1, rng_seed: int = 2026) -> int:
    rng = random.Random(rng_seed)
    created = _seed_kernel(scale, rng)
    db.session.flush()
    for seeder in _seeders:
        created += seeder(scale, rng)
        db.session.flush()
    return created


def _seed_kernel(scale: int, rng: random.Random) -> int:
    if db.session.scalar(sa.select(User).where(User.email == BENCH_MEMBER)):
        return 0
    password_hash = hash_password(BENCH_PASSWORD)
    kinds = list(OrganisationKind)
    organisations = [
        Organisation(
            slug=f"bench-org-{n}",
            name=f"Organización de prueba {n}",
            country=rng.choice(LAC_COUNTRY_CODES),
            city="Ciudad",
            timezone="America/Bogota",
            kind=rng.choice(kinds),
            focus_areas=["governance"],
            verified_at=utcnow(),
            description="Organización creada para medir el rendimiento.",
        )
        for n in range(40 * scale)
    ]
    db.session.add_all(organisations)
    db.session.flush()
    people = [
        User(
            email=BENCH_MEMBER if n == 0 else f"bench-{n}@example.org",
            name=f"Persona {n}",
            password_hash=password_hash,
            role=Role.MEMBER,
            locale=rng.choice(["es", "pt_BR", "en"]),
            email_verified_at=utcnow(),
        )
        for n in range(400 * scale)
    ]
    people.append(
        User(
            email=BENCH_STAFF,
            name="Persona del equipo",
            password_hash=password_hash,
            role=Role.STAFF,
            locale="es",
            email_verified_at=utcnow(),
            totp_secret=BENCH_TOTP_SECRET,
            totp_enabled_at=utcnow(),
        )
    )
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(
        Membership(
            user_id=person.id,
            organisation_id=organisations[n % len(organisations)].id,
            role=OrganisationRole.ADMIN if n < len(organisations) else OrganisationRole.MEMBER,
        )
        for n, person in enumerate(people)
    )
    return len(organisations) + len(people)
