"""Only people's words on screen: translated roles, plain provenance, right plurals, limits said early,
and no reviewed column before any review."""

from __future__ import annotations

import re

import pytest

from safeguards.models import AssessmentState
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import field_prefix, in_scope_codes, step_url

ROLES = {
    "es": ("Líder", "Colaborador(a)", "Revisor(a) (equipo del consorcio)"),
    "pt_BR": ("Líder", "Colaborador(a)", "Revisor(a) (equipe do consórcio)"),
    "en": ("Lead", "Contributor", "Reviewer (staff)"),
}


@pytest.mark.parametrize("locale", list(ROLES))
def test_pilot_roles_read_in_the_viewers_language(client, login_as, admin, lead, pilot, db, locale):
    admin.locale = locale
    db.session.commit()
    login_as(admin)
    html = client.get(f"/safeguards/pilots/{pilot.id}").get_data(as_text=True)
    lead_label, contributor, reviewer = ROLES[locale]
    assert f"{lead.name} · {lead_label}" in html
    options = re.search(r'<select id="role".*?</select>', html, re.S).group(0)
    assert all(f">{label}</option>" in options for label in (lead_label, contributor, reviewer))


@pytest.mark.parametrize("tail", ["scope", "submit", "results", "report", "steps/F1"])
def test_assessment_pages_explain_provenance_in_plain_words(client, login_as, lead, assessment, tail):
    login_as(lead)
    html = client.get(f"/safeguards/assessments/{assessment.id}/{tail}").get_data(as_text=True)
    assert "authorities_inferred" not in html and "_inferred" not in html
    if tail != "steps/F1":
        assert "provisionales" in html  # what a provisional attribution is, said in Spanish


def test_one_item_to_fix_is_said_in_the_singular(client, login_as, submit, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    response = submit(step_url(assessment, code.split(".")[0]), {f"{prefix}-choice": "not_applicable"})
    html = response.get_data(as_text=True)
    assert "1 ítem debe corregirse antes de guardarse" in html and "ítems deben" not in html


def test_text_limits_are_shown_before_typing_reaches_them(client, login_as, lead, assessment, db):
    login_as(lead)
    code = in_scope_codes(assessment)[0]
    prefix = field_prefix(db, assessment, code)
    html = client.get(step_url(assessment, code.split(".")[0])).get_data(as_text=True)
    textarea = re.search(rf'<textarea[^>]*id="{prefix}-evidence"[^>]*>', html).group(0)
    assert 'maxlength="5000"' in textarea and f'aria-describedby="{prefix}-evidence-hint"' in textarea
    hint = re.search(rf'<p class="hint" id="{prefix}-evidence-hint">(.*?)</p>', html, re.S).group(1)
    assert "Hasta 5000 caracteres." in hint or "Hasta 5.000 caracteres." in hint
    assert 'maxlength="500"' in re.search(rf'<input[^>]*id="{prefix}-confidence"[^>]*>', html).group(0)


def test_draft_results_have_no_reviewed_column_until_a_review(client, login_as, lead, assessment, db):
    answer_all(assessment, rating=2)
    login_as(lead)
    results = f"/safeguards/assessments/{assessment.id}/results"
    html = client.get(results).get_data(as_text=True)
    assert '<th scope="col">Revisión</th>' not in html
    assessment.state = AssessmentState.CHANGES_REQUESTED
    db.session.commit()
    assert '<th scope="col">Revisión</th>' in client.get(results).get_data(as_text=True)
