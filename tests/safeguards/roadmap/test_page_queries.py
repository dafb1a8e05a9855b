"""The roadmap's pages run a fixed number of queries whatever the roadmap holds (issue 14): the public
tracker (anonymous and signed in), the team's roadmap page and an action's page, measured before and after
a revision adds actions with milestones and owners' updates, and a progress update on the measured action."""

from __future__ import annotations

import pytest

from consortium import transaction
from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap import actions, planning, tracking
from safeguards.roadmap.models import Milestone
from tests.safeguards.roadmap.conftest import data

#: the roadmap, its assessment, pilot and system come in one query, and the action's roadmap stays loaded
# the tracker: its actions with their milestones and owners in one query, and one for the next cycle
MOST = {("tracker", None): 7, ("tracker", "owner"): 9, ("roadmap", "lead"): 11, ("action", "lead"): 11}


def _grow(roadmap, action, owner_org, staff, n: int) -> None:
    """A new version with ``n`` more actions, each with a milestone and an update; one more on ``action``."""
    with transaction.writing():
        planning.revise(roadmap, "Más acciones para el registro", by=staff)
        made = [
            actions.create(action.priority, data(owner_org, title={"es": f"Acción {i}"})) for i in range(n)
        ]
        db.session.add_all(Milestone(action_id=a.id, title="Primer paso", is_done=False) for a in made)
        db.session.flush()
        planning.validate(roadmap, by=staff)
        for grown in [action, *made]:
            tracking.post_update(grown, "Avance del trimestre", links="", expected=grown.state, by=staff)
    db.session.commit()


@pytest.mark.parametrize(
    ("page", "who"),
    [("tracker", None), ("tracker", "owner"), ("roadmap", "lead"), ("action", "lead")],
)
def test_roadmap_pages_run_a_fixed_number_of_queries(
    client, login_as, validated, owner_org, owner, lead, staff, count_queries, page, who
):
    roadmap, action = validated
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    if who:
        login_as({"owner": owner, "lead": lead}[who])
    path = {
        "tracker": f"/safeguards/roadmaps/{roadmap.id}/public",
        "roadmap": f"/safeguards/roadmaps/{roadmap.id}",
        "action": f"/safeguards/roadmap-actions/{action.id}",
    }[page]
    counts = []
    for more in (1, 5):
        _grow(roadmap, action, owner_org, staff, more)
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= MOST[page, who], counts
    shown = "Avance del trimestre" if page == "action" else "Acción 4"  # what grew is on the page
    assert shown in response.get_data(as_text=True)
