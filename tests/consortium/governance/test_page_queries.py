"""The governance list pages run a fixed number of queries (at most 4) whatever the data size."""

from __future__ import annotations

import pytest

from consortium.governance.contribution_models import Contribution
from consortium.governance.models import SeatRole
from tests.consortium.governance.contributing import written

MAX_QUERIES = 4


def _grow(make_space, space, seat_in, consultation, n: int, db, start: int) -> None:
    for i in range(start, start + n):
        make_space(slug=f"espacio-{i}", title={"es": f"Espacio {i}"})
        author = seat_in(space, SeatRole.MEMBER)
        db.session.add(
            Contribution(
                consultation_id=consultation.id,
                section_id=consultation.sections[i % 2].id,
                author_id=author.id,
                body=f"Idea {i}",
                revision=1,
            )
        )
    db.session.commit()


@pytest.mark.parametrize("who", ["anonymous", "member", "convenor"])
@pytest.mark.parametrize("page", ["list", "space", "roster", "consultation"])
def test_governance_pages_run_a_fixed_number_of_queries(
    client, login_as, make_space, space, seat_in, make_consultation, count_queries, member, db, who, page
):
    consultation = make_consultation(space)
    if who == "member":
        login_as(member)
    elif who == "convenor":
        login_as(seat_in(space, SeatRole.CONVENOR))
    path = {
        "list": "/governance",
        "space": f"/governance/spaces/{space.id}",
        "roster": f"/governance/spaces/{space.id}/roster",
        "consultation": f"/governance/consultations/{consultation.id}",
    }[page]
    counts = []
    for start, more in ((0, 2), (2, 8)):
        _grow(make_space, space, seat_in, consultation, more, db, start)
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    if page in ("list", "roster"):
        assert counts[1] <= MAX_QUERIES, counts


def test_a_consultation_counts_supports_and_the_viewers_own_in_one_statement(
    client, login_as, space, seat_in, make_consultation, count_queries, db
):
    consultation = make_consultation(space)
    written(db, consultation, seat_in(space, SeatRole.MEMBER))
    db.session.commit()
    login_as(seat_in(space, SeatRole.MEMBER))
    with count_queries() as queries:
        assert client.get(f"/governance/consultations/{consultation.id}").status_code == 200
    assert len([q for q in queries if "FROM governance_supports" in q]) == 1, queries
