"""Benchmark volume for the safeguards feature (``flask bench seed``): pilots with complete assessments,
and validated roadmaps on some of the published ones."""

from __future__ import annotations

import random

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Membership
from consortium.reference.systems import ensure_reference_systems
from consortium.seed import BENCH_MEMBER, BENCH_STAFF
from consortium.users.models import User
from safeguards import demo, services
from safeguards import framework as fw
from safeguards.models import Assessment, AssessmentState, Pilot, PilotMember, TeamRole
from safeguards.roadmap import demo as roadmap_demo

ROADMAP_EVERY = 10  # one published pilot in ten has a validated roadmap; "Bench pilot 1" always does


def seed(scale: int, rng: random.Random) -> int:
    """Benchmark volume: 30 x scale pilots with one complete assessment each, and a draft for the
    benchmark member (created first, so on a fresh database it is assessment 1)."""
    if db.session.scalar(sa.select(Pilot.id).where(Pilot.title == "Bench pilot 0")):
        return 0
    if fw.latest() is None:
        fw.load_all()
    systems, created = ensure_reference_systems()
    member = db.session.scalar(sa.select(User).where(User.email == BENCH_MEMBER))
    slugs = sorted(systems)
    for n in range(30 * scale):
        system = systems[slugs[n % len(slugs)]]
        pilot = services.create_pilot(system, system.countries[0], f"Bench pilot {n}")
        if n in (0, 1) and member is not None:  # the member leads the draft and works on pilot 1's roadmap
            db.session.add(
                PilotMember(
                    pilot=pilot, user_id=member.id, role=TeamRole.LEAD if n == 0 else TeamRole.CONTRIBUTOR
                )
            )
        assessment = services.start_assessment(pilot)
        assessment.authorities = ["R1", "R2", "R3", "R4", "R5"]
        assessment.stages = ["L1", "L2", "L3", "L4", "L5"]
        db.session.flush()
        # The member's draft gets its own generator: the same answers at every scale, so the bench
        # compares like with like (the shared one has drawn a scale-dependent number of times by now).
        filler = rng if n else random.Random(2026)  # noqa: S311 - benchmark data, not secrets
        demo.fill(assessment, filler, "es", 0.9 if n else 0.5, reviewed=n > 0 and n % 2 == 0)
        if n:
            assessment.state = AssessmentState.PUBLISHED
            assessment.published_at = utcnow()
        db.session.flush()
        created += 1 + len(assessment.answers)
        if n % ROADMAP_EVERY == 1:
            created += _roadmap(assessment, member)
    return created


def _roadmap(assessment: Assessment, lead: User | None) -> int:
    """The demo's roadmap (six actions in every state, updates, two reviewers' ratings) on ``assessment``,
    owned by bench organisations 1 and 2 and reviewed by the people of organisations 5 and 6."""
    staff = db.session.scalar(sa.select(User).where(User.email == BENCH_STAFF))
    people = dict(
        db.session.execute(
            sa.select(User.email, Membership.organisation_id)
            .join(Membership, Membership.user_id == User.id)
            .where(User.email.in_([f"bench-{n}@example.org" for n in (1, 2, 5, 6)]))
        ).all()
    )
    roadmap_demo.build(
        assessment,
        lead=lead,
        staff=staff,
        owner_id=people["bench-1@example.org"],
        co_owner_id=people["bench-2@example.org"],
        reviewers=[(email, people[email]) for email in ("bench-5@example.org", "bench-6@example.org")],
    )
    return 1
