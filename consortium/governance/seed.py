"""Benchmark volume for governance (``flask bench seed``): public spaces with seats and an open
consultation each, built like the demo's; the bench member holds a seat in the first."""

from __future__ import annotations

import random

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.contribution_models import ContributionKind
from consortium.governance.demo import build
from consortium.governance.demo_data import SPACES
from consortium.governance.models import ConsultationState, Eligibility, SeatRole, Sector, Space
from consortium.organisations.models import Membership, Organisation
from consortium.reference.systems import ensure_reference_systems
from consortium.seed import BENCH_MEMBER, BENCH_STAFF
from consortium.users.models import User

SEATS = 8  # per space: a convenor, then members and observers
CONTRIBUTIONS = 12  # per consultation, of each kind in turn
SECTIONS = [
    ("Datos personales en las claves", "Qué datos ve quien paga y cuáles debería ver."),
    ("Devolución en caso de fraude", "El mecanismo de devolución y sus plazos."),
    ("Acceso sin teléfono inteligente", "Cómo pagar y cobrar sin un teléfono inteligente."),
]


def seed(scale: int, rng: random.Random) -> int:
    """3 x scale spaces; each page of a space or consultation shows the same amount at every scale, and
    so does the list of spaces from scale 10 (a full page of 30), so that the bench's growth comparison
    between scales 10 and 30 compares pages of the same length."""
    if db.session.scalar(sa.select(Space.id).where(Space.slug == "bench-space-0")):
        return 0
    systems, _created = ensure_reference_systems()
    slugs = sorted(systems)
    people = db.session.execute(
        sa.select(User, Organisation)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(User.email.like("bench-%@example.org"), User.email != BENCH_STAFF)
        .order_by(User.id)
    ).all()
    member = next(row for row in people if row[0].email == BENCH_MEMBER)
    others = [row for row in people if row is not member]
    sectors, kinds = list(Sector), list(ContributionKind)
    count = 3 * scale
    for n in range(count):
        # a convenor first (they answer), then members; the bench member is one in the first space
        seated = rng.sample(others, SEATS)
        if n == 0:
            seated[1] = member
        seats = [
            (
                person.email,
                organisation.slug,
                sectors[i % len(sectors)],
                SeatRole.CONVENOR if i == 0 else SeatRole.MEMBER,
            )
            for i, (person, organisation) in enumerate(seated)
        ]
        fields = {
            **SPACES[1],
            "slug": f"bench-space-{n}",
            "system": slugs[n % len(slugs)],
            "title": {"es": f"Espacio de prueba {n}", "en": f"Bench space {n}"},
            "seats": seats,
            "consultations": [
                {
                    "title": f"Consulta de prueba {n}",
                    "state": ConsultationState.OPEN,
                    "eligibility": Eligibility.PUBLIC,
                    "days": (-3, 30, 60),
                    "sections": SECTIONS,
                    "contributions": [
                        (
                            seated[i % SEATS][0].email,
                            i % len(SECTIONS),
                            kinds[i % len(kinds)],
                            f"Contribución {i}: una propuesta concreta.",
                        )
                        for i in range(CONTRIBUTIONS)
                    ],
                    "supports": [(seated[i][0].email, 0) for i in range(1, 4)],
                }
            ],
        }
        build(fields, systems, {p.email: (p, o) for p, o in seated}, created_by_id=None)
    return count
