"""The wizard, review, results and exports through HTTP."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from safeguards import framework as fw
from safeguards import services
from safeguards.models import Answer, AnswerStatus, AssessmentState, Process
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all


def _answer(db, assessment, code) -> Answer:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Answer).join(Process).where(Answer.assessment_id == assessment.id, Process.code == code)
    )


def _in_scope_codes(assessment, principle=None):
    idx = fw.index(assessment.framework_id)
    return [
        i.process.code
        for i in services.items(assessment, idx)
        if i.in_scope and (principle is None or i.process.principle == principle)
    ]


def _step_url(assessment, code):
    return f"/safeguards/assessments/{assessment.id}/steps/{code}"


def _prefix(db, assessment, code):
    return f"a{_answer(db, assessment, code).id}"


def test_scope_step_saves_and_explains_why_items_are_in_scope(client, login_as, submit, lead, pilot, db):
    assessment = services.start_assessment(pilot)
    db.session.commit()
    login_as(lead)
    url = f"/safeguards/assessments/{assessment.id}/scope"
    response = submit(url, {"authorities": ["R2"], "stages": ["L1"]})
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.authorities == ["R2"] and assessment.stages == ["L1"]
    html = client.get(url).get_data(as_text=True)
    assert "Authority" in html or "Autoridad" in html
    assert "O7" in html
    assert "96" in html  # the coverage note says how much of the framework the data holds


def test_scope_requires_an_authority_and_a_stage(client, login_as, submit, lead, pilot, db):
    assessment = services.start_assessment(pilot)
    db.session.commit()
    login_as(lead)
    response = submit(f"/safeguards/assessments/{assessment.id}/scope", {"stages": ["L1"]})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)


def test_wizard_step_shows_items_progress_and_steps(client, login_as, lead, assessment):
    login_as(lead)
    codes = _in_scope_codes(assessment)
    principle = codes[0].split(".")[0]
    html = client.get(_step_url(assessment, principle)).get_data(as_text=True)
    assert "<progress" in html and 'aria-current="step"' in html
    assert f'data-process="{codes[0]}"' in html
    assert "wizard.js" in html and "<script>" not in html


def test_principle_without_items_says_so(client, login_as, lead, assessment):
    login_as(lead)
    html = client.get(_step_url(assessment, "O7")).get_data(as_text=True)
    assert "notice" in html and 'data-process="' not in html


def test_save_without_javascript_stores_the_answer(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    principle = code.split(".")[0]
    prefix = _prefix(db, assessment, code)
    response = submit(
        _step_url(assessment, principle),
        {
            f"{prefix}-choice": "2",
            f"{prefix}-evidence": "Acta de la mesa",
            f"{prefix}-confidence": "Media",
            "go": "stay",
        },
    )
    assert response.status_code == 302
    answer = _answer(db, assessment, code)
    assert (answer.status, answer.rating, answer.evidence, answer.version) == (
        AnswerStatus.RATED,
        2,
        "Acta de la mesa",
        2,
    )
    assert answer.updated_by_id == lead.id


def test_high_rating_without_evidence_is_refused_and_typed_text_kept(
    client, login_as, submit, lead, assessment, db
):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    prefix = _prefix(db, assessment, code)
    response = submit(
        _step_url(assessment, code.split(".")[0]),
        {f"{prefix}-choice": "4", f"{prefix}-confidence": "Bastante seguro"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bastante seguro" in html and "aria-invalid" in html
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_not_applicable_needs_a_justification(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    prefix = _prefix(db, assessment, code)
    url = _step_url(assessment, code.split(".")[0])
    submit(url, {f"{prefix}-choice": "not_applicable"})
    assert _answer(db, assessment, code).status is AnswerStatus.UNANSWERED
    submit(url, {f"{prefix}-choice": "not_applicable", f"{prefix}-justification": "No hay biometría"})
    assert _answer(db, assessment, code).status is AnswerStatus.NOT_APPLICABLE


def test_outdated_save_is_refused_with_409_showing_both_versions(client, app, login_as, lead, assessment, db):
    colleague = UserFactory(name="Carlos Colega")
    services.add_member(assessment.pilot, colleague, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    code = _in_scope_codes(assessment)[0]
    prefix = _prefix(db, assessment, code)
    url = _step_url(assessment, code.split(".")[0])
    login_as(lead)
    page = client.get(url).get_data(as_text=True)  # the lead opens the step at version 1
    other = login_as(colleague, on=app.test_client())
    from tests.conftest import hidden_fields

    fields = hidden_fields(other.get(url).get_data(as_text=True), "")
    other.post(url, data={**fields, f"{prefix}-choice": "1", f"{prefix}-evidence": "Versión de Carlos"})
    assert _answer(db, assessment, code).rating == 1
    fields = hidden_fields(page, "")
    response = client.post(
        url, data={**fields, f"{prefix}-choice": "0", f"{prefix}-evidence": "Versión de Lía"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Versión de Carlos" in html and "Versión de Lía" in html and "Carlos Colega" in html
    answer = _answer(db, assessment, code)
    assert answer.rating == 1 and answer.evidence == "Versión de Carlos"
    # saving again from the conflict page is a deliberate choice and goes through
    fields = hidden_fields(html, "")
    assert (
        client.post(
            url, data={**fields, f"{prefix}-choice": "0", f"{prefix}-evidence": "Versión de Lía"}
        ).status_code
        == 302
    )
    assert _answer(db, assessment, code).evidence == "Versión de Lía"


def test_untouched_items_never_conflict(client, app, login_as, lead, assessment, db):
    colleague = UserFactory()
    services.add_member(assessment.pilot, colleague, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    codes = _in_scope_codes(assessment, "O5")
    principle = "O5"
    assert len(codes) >= 2
    url = _step_url(assessment, principle)
    from tests.conftest import hidden_fields

    login_as(lead)
    page = client.get(url).get_data(as_text=True)
    other = login_as(colleague, on=app.test_client())
    first, second = _prefix(db, assessment, codes[0]), _prefix(db, assessment, codes[1])
    fields = hidden_fields(other.get(url).get_data(as_text=True), "")
    other.post(url, data={**fields, f"{first}-choice": "1"})
    fields = hidden_fields(page, "")
    response = client.post(url, data={**fields, f"{second}-choice": "2"})
    assert response.status_code == 302
    assert _answer(db, assessment, codes[0]).rating == 1 and _answer(db, assessment, codes[1]).rating == 2


def test_autosave_saves_resends_and_reports_conflicts(client, login_as, csrf_token, lead, assessment, db):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    url = f"/safeguards/assessments/{assessment.id}/answers/{code}"
    headers = {"X-CSRFToken": csrf_token(page=_step_url(assessment, code.split(".")[0]))}
    body = {
        "choice": "1",
        "evidence": "Borrador",
        "justification": "",
        "links": "",
        "confidence": "",
        "version": 1,
    }
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 200 and first.get_json()["version"] == 2
    # the same change sent again (the answer was lost on the way back) is not a conflict
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 200 and again.get_json()["saved"] is False
    stale = client.post(url, json={**body, "choice": "3", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["current"]["choice"] == "1"
    invalid = client.post(url, json={**body, "choice": "4", "version": 2}, headers=headers)
    assert invalid.status_code == 422 and "links" in invalid.get_json()["errors"]
    assert client.post(url, json={"choice": "2"}, headers=headers).status_code == 428
    assert client.post(url, json=body).status_code == 400  # no CSRF token


@pytest.mark.parametrize("body", [[1, 2], "choice", 3])
def test_autosave_of_json_that_is_not_an_object_asks_for_the_version(
    client, login_as, csrf_token, lead, assessment, body
):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    headers = {"X-CSRFToken": csrf_token(page=_step_url(assessment, code.split(".")[0]))}
    url = f"/safeguards/assessments/{assessment.id}/answers/{code}"
    assert client.post(url, json=body, headers=headers).status_code == 428


def test_query_count_per_wizard_step_does_not_grow_with_items(
    client, login_as, lead, pilot, make_assessment, count_queries, db
):
    small = make_assessment(pilot, authorities=["R2"], stages=["L1"])
    answer_all(small)
    login_as(lead)
    url = _step_url(small, "F4")
    with count_queries() as few:
        assert client.get(url).status_code == 200
    small_items = len(_in_scope_codes(small))
    small.state = AssessmentState.APPROVED
    db.session.commit()
    large = make_assessment(
        pilot, authorities=["R1", "R2", "R3", "R4", "R5"], stages=["L1", "L2", "L3", "L4", "L5"]
    )
    answer_all(large)
    assert len(_in_scope_codes(large)) >= 3 * small_items
    url = _step_url(large, "F4")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 14


def _submit(client, submit, assessment):
    return submit(f"/safeguards/assessments/{assessment.id}/submit", {})


def test_submit_locks_review_requests_changes_then_approves(
    client, app, login_as, submit, lead, reviewer, assessment, db, mail_outbox
):
    answer_all(assessment, rating=1)
    login_as(lead)
    assert _submit(client, submit, assessment).status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.SUBMITTED
    assert [m.to_email for m in mail_outbox()] == [reviewer.email]
    # locked for the team: pages redirect to the results and autosave refuses
    code = _in_scope_codes(assessment)[0]
    assert client.get(_step_url(assessment, code.split(".")[0])).status_code == 302

    rclient = login_as(reviewer, on=app.test_client())
    review_url = f"/safeguards/assessments/{assessment.id}/review"
    prefix = f"r{_answer(db, assessment, code).id}"
    response = submit(
        review_url,
        {f"{prefix}-reviewed_rating": "0", f"{prefix}-reviewer_comment": "Sin evidencia"},
        on=rclient,
    )
    assert response.status_code == 302
    answer = _answer(db, assessment, code)
    assert answer.reviewed_rating == 0 and answer.reviewer_comment == "Sin evidencia"
    response = submit(review_url, {"note": "Falta evidencia en F4", "request_changes": "1"}, on=rclient)
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.CHANGES_REQUESTED
    assert lead.email in [m.to_email for m in mail_outbox()]
    assert "Falta evidencia en F4" in client.get(_step_url(assessment, code.split(".")[0])).get_data(
        as_text=True
    )

    assert _submit(client, submit, assessment).status_code == 302
    submit(review_url, {"note": "", "approve": "1"}, on=rclient)
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.APPROVED and assessment.approved_at is not None
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {
        "safeguards.assessment_submitted",
        "safeguards.assessment_changes_requested",
        "safeguards.assessment_approved",
    } <= actions


def test_approved_assessment_is_immutable(client, login_as, csrf_token, submit, lead, admin, assessment, db):
    answer_all(assessment)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    code = _in_scope_codes(assessment)[0]
    version = _answer(db, assessment, code).version
    for user in (lead, admin):
        login_as(user)
        token = csrf_token(page=f"/safeguards/pilots/{assessment.pilot_id}")
        response = client.post(
            f"/safeguards/assessments/{assessment.id}/answers/{code}",
            json={"choice": "0", "version": version},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 409
        assert response.get_json()["message"] == "Esta evaluación está bloqueada: ya se envió o se aprobó."
    answer = _answer(db, assessment, code)
    assert (answer.rating, answer.version) == (2, version)


def test_new_cycle_starts_from_a_copy_of_the_last(client, login_as, submit, lead, assessment, db):
    answer_all(assessment, rating=3)
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    login_as(lead)
    response = submit(
        f"/safeguards/pilots/{assessment.pilot_id}",
        {},
        action=f"/safeguards/pilots/{assessment.pilot_id}/cycles",
    )
    assert response.status_code == 302
    db.session.expire_all()
    new = next(a for a in assessment.pilot.assessments if a.cycle == 2)
    code = _in_scope_codes(assessment)[0]
    copied = _answer(db, new, code)
    assert new.authorities == assessment.authorities and copied.rating == 3 and copied.version == 1
    assert _answer(db, assessment, code).rating == 3


def test_results_show_scores_chart_table_and_coverage(client, login_as, lead, assessment, db):
    answer_all(assessment, rating=0)
    login_as(lead)
    html = client.get(f"/safeguards/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "<svg" in html and "<table" in html and "<rect" in html and "style=" not in html
    assert "red-flag" in html
    assert "O7" in html


def test_csv_export_has_bom_and_one_row_per_item(client, login_as, lead, assessment, db):
    answer_all(assessment)
    login_as(lead)
    response = client.get(f"/safeguards/assessments/{assessment.id}/answers.csv")
    body = response.get_data()
    assert response.mimetype == "text/csv" and body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("process,principle,title") and len(lines) == 1 + len(
        _in_scope_codes(assessment)
    )


def test_published_answers_csv_neutralises_formulas_the_team_wrote(
    client, app, login_as, submit, lead, assessment, db
):
    login_as(lead)
    code = _in_scope_codes(assessment)[0]
    prefix = _prefix(db, assessment, code)
    formula = '=HYPERLINK("http://x.example","Ver informe")'
    response = submit(
        _step_url(assessment, code.split(".")[0]),
        {
            f"{prefix}-choice": "1",
            f"{prefix}-justification": formula,
            f"{prefix}-evidence": "@SUM(1+1)*cmd|' /C calc'!A0",
            f"{prefix}-confidence": "-2+3",
        },
    )
    assert response.status_code == 302
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    body = app.test_client().get(f"/safeguards/assessments/{assessment.id}/answers.csv").get_data()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["process"] == code)
    assert row["justification"] == "'" + formula
    assert row["evidence"].startswith("'@SUM") and row["confidence"] == "'-2+3"
    assert row["rating"] == "1"


def test_staff_publish_approved_assessment_for_everyone(
    client, app, login_as, submit, staff, assessment, db, mail_outbox
):
    answer_all(assessment)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    anonymous = app.test_client()
    results = f"/safeguards/assessments/{assessment.id}/results"
    assert anonymous.get(results).status_code == 404
    login_as(staff)
    assert submit(results, {}, action=f"/safeguards/assessments/{assessment.id}/publish").status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.PUBLISHED
    assert anonymous.get(results).status_code == 200
    data = anonymous.get(f"/safeguards/assessments/{assessment.id}/data.json").get_json()
    assert (
        data["licence"] == "CC BY 4.0" and data["answers"] and data["scores"]["reviewed"]["overall"] == 50.0
    )
    assert "CC BY 4.0" in anonymous.get("/safeguards").get_data(
        as_text=True
    ) or assessment.pilot.title in anonymous.get("/safeguards").get_data(as_text=True)


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


def test_how_scores_work_page_is_public(client):
    html = client.get("/safeguards/how-scores-work", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "fewer than half" in html and "Red flag" in html


# Access matrix --------------------------------------------------------------------------------------

ROLES = ["anonymous", "team", "other_team", "reviewer", "staff", "admin"]


@pytest.fixture
def people(lead, reviewer, staff, admin, make_pilot, db):
    outsider = UserFactory()
    make_pilot("Llave MX · México", lead=outsider)
    db.session.commit()
    return {"team": lead, "other_team": outsider, "reviewer": reviewer, "staff": staff, "admin": admin}


def _as(role, app, login_as, people):
    client = app.test_client()
    if role != "anonymous":
        login_as(people[role], on=client)
    return client


DRAFT_EXPECTED = {
    "anonymous": 404,
    "team": 200,
    "other_team": 404,
    "reviewer": 200,
    "staff": 404,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/safeguards/assessments/{id}/results",
        "/safeguards/assessments/{id}/answers.csv",
        "/safeguards/assessments/{id}/report",
        "/api/v1/assessments/{id}",
        "/api/v1/assessments/{id}/scores",
    ],
)
def test_drafts_are_seen_only_by_team_reviewers_and_admins(app, login_as, people, assessment, role, path):
    client = _as(role, app, login_as, people)
    assert client.get(path.format(id=assessment.id)).status_code == DRAFT_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_published_results_are_public(app, login_as, people, assessment, role, db):
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    client = _as(role, app, login_as, people)
    assert client.get(f"/safeguards/assessments/{assessment.id}/results").status_code == 200
    assert client.get(f"/api/v1/assessments/{assessment.id}").status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("team", 200),
        ("other_team", 404),
        ("reviewer", 403),
        ("staff", 404),
        ("admin", 200),
    ],
)
def test_only_the_team_opens_the_wizard(app, login_as, people, assessment, role, expected):
    client = _as(role, app, login_as, people)
    assert client.get(_step_url(assessment, "F1")).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("team", 403), ("other_team", 404), ("reviewer", 200), ("staff", 404), ("admin", 200)],
)
def test_only_assigned_reviewers_and_admins_review(app, login_as, people, assessment, role, expected, db):
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    client = _as(role, app, login_as, people)
    assert client.get(f"/safeguards/assessments/{assessment.id}/review").status_code == expected


def test_pilot_page_lists_team_and_hides_from_others(app, client, login_as, people, assessment):
    html = (
        _as("team", app, login_as, people)
        .get(f"/safeguards/pilots/{assessment.pilot_id}")
        .get_data(as_text=True)
    )
    assert people["team"].name in html and people["reviewer"].name in html
    assert (
        _as("other_team", app, login_as, people).get(f"/safeguards/pilots/{assessment.pilot_id}").status_code
        == 404
    )


def test_staff_create_a_pilot_and_add_a_contributor(client, login_as, submit, staff, lead, framework, db):
    login_as(staff)
    services.create_system(
        slug="pix",
        name="Pix",
        countries=["BR"],
        kind=services.DpiSystem.kind.type.enum_class("payments"),
        operator="BCB",
    )
    db.session.commit()
    system_id = db.session.scalar(sa.select(services.DpiSystem.id))
    response = submit(
        "/safeguards/pilots/new",
        {"system": str(system_id), "country": "BR", "title": "Pix · Brasil", "lead_email": lead.email},
    )
    assert response.status_code == 302
    pilot_url = response.headers["Location"]
    contributor = UserFactory()
    db.session.commit()
    pilot_id = int(re.search(r"/pilots/(\d+)", pilot_url).group(1))
    submit(
        pilot_url,
        {"email": contributor.email, "role": "contributor"},
        action=f"/safeguards/pilots/{pilot_id}/members",
    )
    html = client.get(pilot_url).get_data(as_text=True)
    assert contributor.name in html and lead.name in html


def test_state_change_mail_reaches_reviewers_in_their_language(
    client, login_as, submit, lead, reviewer, assessment, db, smtp
):
    from consortium.mail import deliver_pending

    reviewer.locale = "en"
    db.session.commit()
    answer_all(assessment)
    login_as(lead)
    _submit(client, submit, assessment)
    deliver_pending()
    assert [m["To"] for m in smtp] == [f"{reviewer.name} <{reviewer.email}>"] or reviewer.email in smtp[0][
        "To"
    ]
    body = smtp[0].get_body(("plain",)).get_content()
    assert "submitted cycle 1" in body and f"/safeguards/assessments/{assessment.id}" in body


def test_largest_wizard_step_stays_light(client, login_as, lead, pilot, make_assessment):
    import gzip

    everything = make_assessment(
        pilot, authorities=["R1", "R2", "R3", "R4", "R5"], stages=["L1", "L2", "L3", "L4", "L5"]
    )
    login_as(lead)
    html = client.get(_step_url(everything, "O3")).get_data()
    assert html.count(b'class="item card') >= 20
    assert len(gzip.compress(html)) < 45_000


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
