"""Creating a pilot and starting an assessment are audited with the new rows' ids."""

from __future__ import annotations

from tests.audit_rows import creates_of


def test_a_created_pilot_and_assessment_are_audited_with_their_ids(db, pilot, assessment):
    assert creates_of(pilot) == [str(pilot.id)]
    assert creates_of(assessment) == [str(assessment.id)]
