"""The open pages and lists through HTTP."""

from __future__ import annotations

import pytest

from safeguards.models import AssessmentState


def test_how_scores_work_page_is_public(client):
    html = client.get("/safeguards/how-scores-work", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "fewer than half" in html and "Red flag" in html


@pytest.mark.parametrize("path", ["/safeguards", "/api/v1/assessments"])
def test_lists_run_a_fixed_number_of_queries(client, make_pilot, make_assessment, count_queries, db, path):
    def publish(n):
        for k in range(n):
            a = make_assessment(make_pilot(f"Sistema {k}-{n} · País"))
            a.state = AssessmentState.PUBLISHED
        db.session.commit()

    publish(2)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    publish(4)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few) <= 4
