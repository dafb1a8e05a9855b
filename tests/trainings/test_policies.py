"""The trainings' per-object rules, asked through ``can()`` like every other right."""

from __future__ import annotations

from consortium.db import utcnow
from consortium.permissions import Permission, can
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration, RegistrationState


def test_an_organisation_with_a_completed_training_may_report_through_can(app, db):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    person = make_member(organisation)
    db.session.commit()
    assert not can(Permission.TRAININGS_REPORT, organisation, person)
    db.session.add(
        Registration(
            training_id=make_training(days_ahead=-20).id,
            user_id=person.id,
            organisation_id=organisation.id,
            state=RegistrationState.CONFIRMED,
            completed_at=utcnow(),
        )
    )
    db.session.commit()
    assert can(Permission.TRAININGS_REPORT, organisation, person)
    assert not can(Permission.TRAININGS_REPORT, other, person)  # not their organisation


def test_the_organisations_own_policy_still_answers_its_permissions(app, db):
    organisation = OrganisationFactory(verified_at=None)
    person = make_member(organisation)
    db.session.commit()
    assert can(Permission.ORGANISATIONS_VIEW, organisation, person)  # the kernel's organisation policy
    assert not can(Permission.ORGANISATIONS_VIEW, organisation, make_member())
