"""The team's wizard through HTTP: scope, steps, saving without JavaScript, autosave and conflicts."""

from __future__ import annotations

import jinja2
import pytest
import sqlalchemy as sa
from markupsafe import escape

from safeguards import services
from safeguards.models import AnswerStatus, AssessmentState
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, field_prefix, in_scope_codes, step_url


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
    codes = in_scope_codes(assessment)
    principle = codes[0].split(".")[0]
    html = client.get(step_url(assessment, principle)).get_data(as_text=True)
    assert "<progress" in html and 'aria-current="step"' in html
    assert f'data-process="{codes[0]}"' in html
    assert "wizard.js" in html and "<script>" not in html


def test_principle_without_items_says_so(client, login_as, lead, assessment):
    login_as(lead)
    html = client.get(step_url(assessment, "O7")).get_data(as_text=True)
    assert "notice" in html and 'data-process="' not in html


def test_save_without_javascript_stores_the_answer(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    principle = code.split(".")[0]
    prefix = field_prefix(db, assessment, code)
    response = submit(
        step_url(assessment, principle),
        {
            f"{prefix}-choice": "2",
            f"{prefix}-evidence": "Acta de la mesa",
            f"{prefix}-confidence": "Media",
            "go": "stay",
        },
    )
    assert response.status_code == 302
    answer = answer_of(db, assessment, code)
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
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    response = submit(
        step_url(assessment, code.split(".")[0]),
        {f"{prefix}-choice": "4", f"{prefix}-confidence": "Bastante seguro"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bastante seguro" in html and "aria-invalid" in html
    assert answer_of(db, assessment, code).status is AnswerStatus.UNANSWERED


def test_not_applicable_needs_a_justification(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    url = step_url(assessment, code.split(".")[0])
    submit(url, {f"{prefix}-choice": "not_applicable"})
    assert answer_of(db, assessment, code).status is AnswerStatus.UNANSWERED
    submit(url, {f"{prefix}-choice": "not_applicable", f"{prefix}-justification": "No hay biometría"})
    assert answer_of(db, assessment, code).status is AnswerStatus.NOT_APPLICABLE


def test_outdated_save_is_refused_with_409_showing_both_versions(client, app, login_as, lead, assessment, db):
    colleague = UserFactory(name="Carlos Colega")
    services.add_member(assessment.pilot, colleague, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    url = step_url(assessment, code.split(".")[0])
    login_as(lead)
    page = client.get(url).get_data(as_text=True)  # the lead opens the step at version 1
    other = login_as(colleague, on=app.test_client())
    from tests.conftest import hidden_fields

    fields = hidden_fields(other.get(url).get_data(as_text=True), "")
    other.post(url, data={**fields, f"{prefix}-choice": "1", f"{prefix}-evidence": "Versión de Carlos"})
    assert answer_of(db, assessment, code).rating == 1
    fields = hidden_fields(page, "")
    response = client.post(
        url, data={**fields, f"{prefix}-choice": "0", f"{prefix}-evidence": "Versión de Lía"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Versión de Carlos" in html and "Versión de Lía" in html and "Carlos Colega" in html
    answer = answer_of(db, assessment, code)
    assert answer.rating == 1 and answer.evidence == "Versión de Carlos"
    # saving again from the conflict page is a deliberate choice and goes through
    fields = hidden_fields(html, "")
    assert (
        client.post(
            url, data={**fields, f"{prefix}-choice": "0", f"{prefix}-evidence": "Versión de Lía"}
        ).status_code
        == 302
    )
    assert answer_of(db, assessment, code).evidence == "Versión de Lía"


def test_untouched_items_never_conflict(client, app, login_as, lead, assessment, db):
    colleague = UserFactory()
    services.add_member(assessment.pilot, colleague, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    codes = in_scope_codes(assessment, "O5")
    principle = "O5"
    assert len(codes) >= 2
    url = step_url(assessment, principle)
    from tests.conftest import hidden_fields

    login_as(lead)
    page = client.get(url).get_data(as_text=True)
    other = login_as(colleague, on=app.test_client())
    first, second = field_prefix(db, assessment, codes[0]), field_prefix(db, assessment, codes[1])
    fields = hidden_fields(other.get(url).get_data(as_text=True), "")
    other.post(url, data={**fields, f"{first}-choice": "1"})
    fields = hidden_fields(page, "")
    response = client.post(url, data={**fields, f"{second}-choice": "2"})
    assert response.status_code == 302
    assert answer_of(db, assessment, codes[0]).rating == 1 and answer_of(db, assessment, codes[1]).rating == 2


def test_autosave_saves_resends_and_reports_conflicts(client, login_as, csrf_token, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    url = f"/safeguards/assessments/{assessment.id}/answers/{code}"
    headers = {"X-CSRFToken": csrf_token(page=step_url(assessment, code.split(".")[0]))}
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


def test_query_count_per_wizard_step_does_not_grow_with_items(
    client, login_as, lead, pilot, make_assessment, count_queries, db
):
    small = make_assessment(pilot, authorities=["R2"], stages=["L1"])
    answer_all(small)
    login_as(lead)
    url = step_url(small, "F4")
    with count_queries() as few:
        assert client.get(url).status_code == 200
    small_items = len(in_scope_codes(small))
    small.state = AssessmentState.APPROVED
    db.session.commit()
    large = make_assessment(
        pilot, authorities=["R1", "R2", "R3", "R4", "R5"], stages=["L1", "L2", "L3", "L4", "L5"]
    )
    answer_all(large)
    assert len(in_scope_codes(large)) >= 3 * small_items
    url = step_url(large, "F4")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 14


def test_a_wizard_step_reads_who_saved_by_id_not_by_joining_everyone(
    client, login_as, lead, pilot, make_assessment, count_queries
):
    """Joined to the answers, PostgreSQL hashed the whole users table on every step (issue 14): the
    people who saved are looked up by their ids, with their names only."""
    assessment = make_assessment(pilot, authorities=["R2"], stages=["L1"])
    for answer in assessment.answers:
        answer.updated_by = lead
    answer_all(assessment)
    login_as(lead)
    with count_queries() as statements:
        html = client.get(step_url(assessment, "F4")).get_data(as_text=True)
    assert lead.name in html  # "Last saved by …"
    answers = [s for s in statements if "FROM safeguards_answers" in s]
    assert answers and not [s for s in answers if "JOIN users" in s]
    people = [s for s in statements if "FROM users" in s and "IN (" in s]
    assert people and "password_hash" not in people[0]


def test_query_count_of_the_submit_summary_does_not_grow_with_items(
    client, login_as, lead, pilot, make_assessment, count_queries, db
):
    counts = []
    for scope in ((["R2"], ["L1"]), (["R1", "R2", "R3", "R4", "R5"], ["L1", "L2", "L3", "L4", "L5"])):
        assessment = make_assessment(pilot, authorities=scope[0], stages=scope[1])
        answer_all(assessment)
        login_as(lead)
        with count_queries() as queries:
            assert client.get(f"/safeguards/assessments/{assessment.id}/submit").status_code == 200
        counts.append(len(queries))
        assessment.state = AssessmentState.APPROVED  # the next cycle may start
        db.session.commit()
    assert counts[0] == counts[1] <= 14, counts


def test_largest_wizard_step_stays_light(client, login_as, lead, pilot, make_assessment):
    import gzip

    everything = make_assessment(
        pilot, authorities=["R1", "R2", "R3", "R4", "R5"], stages=["L1", "L2", "L3", "L4", "L5"]
    )
    login_as(lead)
    html = client.get(step_url(everything, "O3")).get_data()
    assert html.count(b'class="item card') >= 20
    assert len(gzip.compress(html)) < 45_000


@pytest.mark.parametrize("body", [[1, 2], "choice", 3])
def test_autosave_of_json_that_is_not_an_object_asks_for_the_version(
    client, login_as, csrf_token, lead, assessment, body
):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    headers = {"X-CSRFToken": csrf_token(page=step_url(assessment, code.split(".")[0]))}
    url = f"/safeguards/assessments/{assessment.id}/answers/{code}"
    assert client.post(url, json=body, headers=headers).status_code == 428


def test_an_items_texts_follow_the_readers_language_and_a_text_edit(client, login_as, lead, assessment, db):
    # the texts before each answer are rendered once per worker, language and framework revision
    from safeguards.models import FrameworkVersion, Process

    login_as(lead)
    code = in_scope_codes(assessment)[0]
    url = step_url(assessment, code.split(".")[0])
    process = db.session.scalar(
        sa.select(Process).where(Process.framework_id == assessment.framework_id, Process.code == code)
    )
    question = dict(process.question)
    assert client.get(url).get_data(as_text=True).count(escape(question["es"])) == 1
    lead.locale = "en"
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert escape(question.get("en", question["es"])) in page
    # what framework_versions.save_texts does to a draft's text: the text, and the revision
    process.question = {**question, "pt_BR": "Pergunta revista?"}
    db.session.get(FrameworkVersion, assessment.framework_id).revision += 1
    lead.locale = "pt_BR"
    db.session.commit()
    assert "Pergunta revista?" in client.get(url).get_data(as_text=True)


def test_a_wizard_step_renders_its_items_without_a_template_include_each(
    client, login_as, lead, pilot, make_assessment, monkeypatch
):
    """Issue 14: each item was an include (three, with its conversation), and each include copied the
    whole template context and imported its macros again, 1.2 ms of a 24-item step."""
    assessment = make_assessment(pilot, authorities=["R1", "R2", "R3", "R4", "R5"], stages=["L1", "L2"])
    login_as(lead)
    client.get(step_url(assessment, "F4"))  # the items' introductions are rendered once, then kept
    contexts = []
    new_context = jinja2.Template.new_context
    monkeypatch.setattr(
        jinja2.Template,
        "new_context",
        lambda self, *a, **k: contexts.append(self.name) or new_context(self, *a, **k),
    )
    html = client.get(step_url(assessment, "F4")).get_data(as_text=True)
    items = html.count('class="item-unit"')
    assert items >= 3
    repeated = {name for name in contexts if contexts.count(name) > 1}
    assert not repeated, f"rendered again for each of {items} items: {sorted(repeated)}"


def test_a_wizard_step_reads_the_framework_version_with_the_assessment(
    client, login_as, lead, pilot, make_assessment, count_queries
):
    """The worker's framework index is checked against the version's row: read with the assessment, not
    by a statement of its own on every step, results and roadmap page (issue 14)."""
    assessment = make_assessment(pilot, authorities=["R2"], stages=["L1"])
    login_as(lead)
    client.get(step_url(assessment, "F4"))  # builds this worker's index of the version
    with count_queries() as statements:
        assert client.get(step_url(assessment, "F4")).status_code == 200
    assert not [s for s in statements if "FROM safeguards_frameworks" in s]
