"""Which items are candidates and in which order (safeguards.roadmap.candidates)."""

from __future__ import annotations

from consortium.db import db
from safeguards.roadmap import candidates as c
from safeguards.roadmap.models import Priority
from tests.safeguards.roadmap.conftest import in_scope


def test_candidates_are_low_or_unknown_items_sorted_by_severity(approved):
    found = c.candidates(approved)
    values = [x.value for x in found]
    assert values == sorted(values) and set(values) <= {0, 1, 2}
    assert len(found) == 5
    assert any(x.is_unknown for x in found) and found[0].value == 0


def test_the_reviewed_rating_is_the_severity(approved):
    item = in_scope(approved)[-1]  # rated 3 by the team: no candidate
    assert item.process.code not in {x.code for x in c.candidates(approved)}
    item.answer.reviewed_rating = 0
    db.session.commit()
    assert item.process.code in {x.code for x in c.candidates(approved)[:3]}


def test_items_out_of_scope_are_never_candidates(approved):
    codes = {x.code for x in c.candidates(approved)}
    assert codes <= {i.process.code for i in in_scope(approved)}


def test_matrix_places_rated_candidates_by_urgency_and_feasibility(roadmap, first_code):
    db.session.add(Priority(roadmap_id=roadmap.id, process_code=first_code, urgency=3, feasibility=1))
    db.session.commit()
    matrix = c.matrix(c.candidates(roadmap.assessment, roadmap))
    assert [x.code for x in matrix["cells"][(3, 1)]] == [first_code] and matrix["rated"] == 1
    top_left = next(b for b in matrix["boxes"] if (b["urgency"], b["feasibility"]) == (3, 1))
    assert (top_left["x"], top_left["y"]) == (40, 10)
