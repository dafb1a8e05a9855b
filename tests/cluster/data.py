"""What the checks need, written straight into the cluster's database by this process.

The schema and the demo data come first, from the release steps run on app1 (``flask db upgrade``,
``flask demo load``). Then the test's own people and trainings, with the factories the other tests
use; the trainings' registrants call the API with bearer tokens, so no password is hashed for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium.app import create_app
from consortium.db import db
from consortium.users import services as user_services
from consortium.users.passwords import hash_password
from tests.cluster import datastores
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training

LOCKED_EMAIL = "guessed@cluster.example"
BURST_EMAIL = "burst@cluster.example"
PASSWORD = "Cluster-Prueba-2026"
#: Demo people who lead a draft assessment each (consortium/demo.py, safeguards/demo.py).
WIZARD_TEAMS = {
    "camila@derechosandinos.example": "Bre-B · Colombia",
    "valentina@laboratoriocivico.example": "Ciudadano Digital · Uruguay",
}


@dataclass
class Race:
    training_id: int
    capacity: int
    per_organisation: int | None
    tokens: list[str] = field(default_factory=list)  # one registrant each
    organisation_of: dict[str, int] = field(default_factory=dict)  # token -> organisation id


def app():
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": datastores.DATABASE_URL, "SECRET_KEY": "seeding", "PAGE_CACHE_SECONDS": 0}
    )


def race(capacity: int, per_organisation: int | None, organisations: int, members: int, hashed: str) -> Race:
    training = make_training(capacity=capacity, seats_per_organisation=per_organisation)
    result = Race(training.id, capacity, per_organisation)
    for _ in range(organisations):
        organisation = OrganisationFactory()
        for _ in range(members):
            person = make_member(organisation, password_hash=hashed)
            secret = user_services.create_api_token(person, "cluster")[1]
            result.tokens.append(secret)
            result.organisation_of[secret] = organisation.id
    return result


def seed() -> dict:
    with app().app_context():
        hashed = hash_password(PASSWORD)
        capacity = race(5, 2, 6, 4, hashed)  # 24 people, 12 seats by organisation, 5 in all
        per_organisation = race(20, 1, 3, 5, hashed)  # 15 people, 20 seats, 1 per organisation
        failover = race(10_000, None, 10, 40, hashed)  # the load while a host dies
        make_member(email=LOCKED_EMAIL, password_hash=hashed)
        make_member(email=BURST_EMAIL, password_hash=hashed)
        db.session.commit()
        return {"capacity": capacity, "per_organisation": per_organisation, "failover": failover}


def wizard_answers() -> dict[str, dict[str, int]]:
    """For each wizard team lead: the assessment id, each answer's version by process code, and each
    answer's justification before the load (by ``<assessment>/<process>``)."""
    from safeguards.models import Answer, Assessment, Pilot, Process

    found = {}
    with app().app_context():
        for email, title in WIZARD_TEAMS.items():
            assessment = db.session.scalar(sa.select(Assessment).join(Pilot).where(Pilot.title == title))
            rows = db.session.execute(
                sa.select(Process.code, Answer.version, Answer.justification)
                .join(Answer.process)
                .where(Answer.assessment_id == assessment.id)
                .order_by(Process.code)
            ).all()
            found[email] = {
                "assessment": assessment.id,
                "answers": {code: version for code, version, _text in rows},
                "texts": {f"{assessment.id}/{code}": text for code, _version, text in rows},
            }
    return found
