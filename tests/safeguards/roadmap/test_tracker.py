"""The public tracker's summary: actions by state, milestone progress, overdue per owner organisation,
and the next published cycle's score change per principle beside the actions completed for it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from consortium import transaction
from consortium.db import db
from safeguards import services
from safeguards.models import AssessmentState
from safeguards.roadmap import actions, planning
from safeguards.roadmap.models import ActionState
from tests.factories import OrganisationFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.roadmap.conftest import choose, data


@pytest.fixture
def tracked(roadmap, first_code, owner_org, staff):
    """A published, validated roadmap: one action on time with a milestone done of two, one overdue."""
    priority = choose(roadmap, first_code)
    late_org = OrganisationFactory(name="Ministerio de Economía")
    with transaction.writing():
        on_time = actions.create(priority, data(owner_org))
        late = actions.create(
            priority, data(late_org, title={"es": "Auditar el mecanismo"}, due_on=date(2026, 1, 15))
        )
        first = actions.add_milestone(on_time, "Modelo de datos acordado", None)
        actions.add_milestone(on_time, "Primera publicación", None)
        actions.add_milestone(late, "Términos de referencia", None)
        planning.validate(roadmap, by=staff)
        actions.set_milestone_done(first, True)
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    return roadmap, on_time, late


def test_the_tracker_shows_states_milestone_progress_and_overdue_actions_per_owner(client, tracked):
    roadmap, on_time, _late = tracked
    html = client.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    assert "0 de 2 acciones completadas" in html
    assert f'<progress id="progress-{on_time.id}" max="2" value="1">' in html
    assert "1 de 2 hitos cumplidos" in html and "0 de 1 hito cumplido" in html
    owners = html[html.index("Acciones atrasadas por organización responsable") :]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num([^"]*)">(\d+)</td>', owners)
    # the overdue owner first, flagged; the one on time after it with none
    assert rows[0][0] == "Ministerio de Economía" and rows[0][2] == "1" and "warning" in rows[0][1]
    assert rows[1][0] == "Banco Central" and rows[1][2] == "0"
    assert "Qué cambió en el ciclo" not in html  # no later cycle yet


def test_a_finished_action_is_never_overdue(client, tracked, owner):
    roadmap, _on_time, late = tracked
    with transaction.writing():
        actions.move(late, ActionState.DROPPED, by=owner, reason="Lo hace el Banco Central")
    db.session.commit()
    html = client.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    owners = html[html.index("Acciones atrasadas por organización responsable") :]
    assert re.search(r'Ministerio de Economía</th><td class="num">0</td>', owners)
    assert "0 de 1 acción completada" in html  # a dropped action leaves the count


def test_the_next_published_cycle_shows_each_principles_change_beside_completed_actions(
    client, tracked, owner, first_code
):
    roadmap, on_time, _late = tracked
    with transaction.writing():
        actions.move(on_time, ActionState.IN_PROGRESS, by=owner)
        actions.move(on_time, ActionState.COMPLETED, by=owner)
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    later = services.start_assessment(roadmap.assessment.pilot)
    db.session.commit()
    answer_all(later, rating=3)
    later.state = AssessmentState.PUBLISHED
    db.session.commit()
    html = client.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    section = html[html.index("Qué cambió en el ciclo 2") :]
    principle = next(
        row for row in section.split("<tr>") if "Publicar el registro de reclamos" in row
    )  # the completed action sits in its principle's row
    change = re.findall(r'<td class="num">([^<]+)</td>', principle)[2]
    assert change.startswith("+")
    assert f"/safeguards/assessments/{later.id}/results" in section


def test_the_tracker_costs_the_same_queries_whatever_the_number_of_actions(
    client, tracked, owner_org, count_queries
):
    roadmap, _on_time, _late = tracked
    url = f"/safeguards/roadmaps/{roadmap.id}/public"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    with transaction.writing():
        planning.revise(roadmap, "Dos acciones más", by=None)
        priority = roadmap.priorities[0] if roadmap.priorities[0].is_selected else roadmap.priorities[1]
        for n in range(2):
            action = actions.create(priority, data(owner_org, title={"es": f"Acción {n}"}))
            actions.add_milestone(action, "Hito", None)
        planning.validate(roadmap, by=None)
    db.session.commit()
    with count_queries() as more:
        client.get(url)
    assert len(more) == len(few)
