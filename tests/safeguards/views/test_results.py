"""Results, suggestions and the comparison through HTTP."""

from __future__ import annotations

from safeguards.models import AssessmentState
from tests.safeguards.conftest import answer_all


def test_results_show_scores_chart_table_and_coverage(client, login_as, lead, assessment, db):
    answer_all(assessment, rating=0)
    login_as(lead)
    html = client.get(f"/safeguards/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "<svg" in html and "<table" in html and "<rect" in html and "style=" not in html
    assert "red-flag" in html
    assert "O7" in html


def test_compare_shows_published_assessments_side_by_side(client, make_pilot, make_assessment, db):
    columns = []
    for title, rating in (("Pix · Brasil", 4), ("Bre-B · Colombia", 1)):
        a = make_assessment(make_pilot(title))
        answer_all(a, rating=rating)
        a.state = AssessmentState.PUBLISHED
        columns.append(a)
    db.session.commit()
    html = client.get(f"/safeguards/compare?ids={columns[0].id}&ids={columns[1].id}").get_data(as_text=True)
    assert "Pix · Brasil" in html and "Bre-B · Colombia" in html and "100" in html and "25" in html


def test_weakest_items_link_to_suggestions_for_their_principles(
    client, login_as, lead, assessment, monkeypatch
):
    from consortium import suggestions

    asked = []

    def provider(codes, limit):
        asked.append(list(codes))
        return [
            suggestions.Suggestion("resource", "Guía de protección de datos", "/library/guia", tuple(codes))
        ]

    monkeypatch.setattr(suggestions, "_providers", {"library": provider})
    answer_all(assessment, rating=1)
    login_as(lead)
    html = client.get(f"/safeguards/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "Guía de protección de datos" in html and asked and all(code[0] in "FO" for code in asked[0])


def test_results_query_count_does_not_grow_with_items(
    client, login_as, lead, pilot, make_pilot, make_assessment, count_queries, db
):
    small = make_assessment(pilot, authorities=["R2"], stages=["L1"])
    answer_all(small)
    url = f"/safeguards/assessments/{small.id}/results"
    login_as(lead)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    everything = {"authorities": ["R1", "R2", "R3", "R4", "R5"], "stages": ["L1", "L2", "L3", "L4", "L5"]}
    large = make_assessment(make_pilot("Pix · Brasil", lead=lead), **everything)
    answer_all(large)
    url = f"/safeguards/assessments/{large.id}/results"
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    # a second cycle adds its trend row for one more query (its answers)
    small.state = AssessmentState.APPROVED
    db.session.commit()
    second = make_assessment(pilot, **everything)
    url = f"/safeguards/assessments/{second.id}/results"
    with count_queries() as trend:
        assert client.get(url).status_code == 200
    assert len(trend) == len(few) + 1
