"""The staff work queue at /safeguards/review and the worklist counts it gives the kernel's /home."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consortium import worklist
from consortium.db import utcnow
from safeguards.models import AssessmentState
from tests.factories import UserFactory

QUEUE = "/safeguards/review"


@pytest.fixture
def board(make_pilot, make_assessment, lead, reviewer, db):
    """Three pilots in three states; the submitted one waits for ``reviewer``, who reviews no other."""
    other_reviewer = UserFactory(staff=True, name="Rosa Revisora")
    db.session.commit()
    waiting = make_assessment(make_pilot("Bre-B · Colombia", lead=lead, reviewer=reviewer))
    approved = make_assessment(make_pilot("Pix · Brasil", reviewer=other_reviewer))
    draft = make_assessment(make_pilot("Llave · México"))
    waiting.state, approved.state = AssessmentState.SUBMITTED, AssessmentState.APPROVED
    waiting.state_changed_at = utcnow() - timedelta(days=10)
    approved.pilot.country = "BR"
    db.session.commit()
    return {"submitted": waiting, "approved": approved, "draft": draft, "other_reviewer": other_reviewer}


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [title for title in ("Bre-B · Colombia", "Pix · Brasil", "Llave · México") if title in body]


def test_staff_see_every_assessment_the_longest_waiting_first(client, login_as, staff, board):
    login_as(staff)
    response = client.get(QUEUE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _rows(html)[0] == "Bre-B · Colombia" and len(_rows(html)) == 3
    assert "Enviada a revisión (1)" in html and "Aprobada (1)" in html and "Borrador (1)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=submitted", ["Bre-B · Colombia"]),
        ("state=approved", ["Pix · Brasil"]),
        ("country=BR", ["Pix · Brasil"]),
        ("cycle=2", []),
        ("waiting=7", ["Bre-B · Colombia"]),
    ],
)
def test_the_queue_filters(client, login_as, staff, board, query, expected):
    login_as(staff)
    assert _rows(client.get(f"{QUEUE}?{query}").get_data(as_text=True)) == expected


def test_the_queue_filters_by_system_and_reviewer(client, login_as, staff, reviewer, board):
    login_as(staff)
    system = board["approved"].pilot.system_id
    assert _rows(client.get(f"{QUEUE}?system={system}").get_data(as_text=True)) == ["Pix · Brasil"]
    mine = client.get(f"{QUEUE}?reviewer={reviewer.id}").get_data(as_text=True)
    assert _rows(mine) == ["Bre-B · Colombia"]


@pytest.mark.parametrize(
    "query",
    [
        "state=bogus",
        "system=abc",
        "system=99999999999999999999999",
        "reviewer=-1",
        "cycle=-3",
        "cycle=99999999999999999999999",
        "cycle=abc",
        "waiting=forever",
        "waiting=99999999999999999999",
        "country=XX",
        "state=submitted&state=approved",
    ],
)
def test_bad_query_strings_never_break_the_queue(client, login_as, staff, board, query):
    login_as(staff)
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    assert len(_rows(response.get_data(as_text=True))) >= 1 or "state=" in query


def test_the_queue_pages(client, login_as, staff, make_pilot, make_assessment, db):
    for n in range(26):
        make_assessment(make_pilot(f"Sistema {n} · País"))
    login_as(staff)
    first = client.get(QUEUE).get_data(as_text=True)
    assert 'rel="next"' in first
    assert client.get(f"{QUEUE}?page=2").status_code == 200
    assert client.get(f"{QUEUE}?page=3").status_code == 404
    assert client.get(f"{QUEUE}?page=abc").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("team", 403), ("staff", 200), ("admin", 200)]
)
def test_only_staff_open_the_queue(app, login_as, people, board, who, status):
    client = app.test_client()
    if who != "anonymous":
        login_as(people[who], on=client)
    assert client.get(QUEUE).status_code == status


def test_the_worklist_counts_what_waits_for_each_person(app, client, login_as, reviewer, staff, lead, board):
    def counts(user):
        login_as(user)
        with app.test_request_context():
            return {item.label: (item.count, item.url) for item in worklist.waiting_for(user)}

    mine = counts(reviewer)
    assert mine["Envíos por revisar"] == (1, f"{QUEUE}?state=submitted&reviewer={reviewer.id}")
    assert counts(board["other_reviewer"]).get("Envíos por revisar") is None  # nothing waits: left out
    assert counts(staff)["Evaluaciones aprobadas por publicar"][0] == 1
    assert counts(lead) == {}
