"""Creating a governance space is audited with the new space's id."""

from __future__ import annotations

from tests.audit_rows import creates_of


def test_a_created_space_is_audited_with_its_id(db, space):
    assert creates_of(space) == [str(space.id)]
