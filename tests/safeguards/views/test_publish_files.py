"""Publication asks, file by file, which evidence may be public; the results page then lists those files."""

from __future__ import annotations

import pytest

from safeguards.models import AssessmentState
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import in_scope_codes
from tests.safeguards.views.test_evidence import PDF, PNG, download_url, files, upload


@pytest.fixture
def with_files(app, login_as, lead, assessment, db):
    """An approved assessment with two files on its first item, both proposed public by the team."""
    code = in_scope_codes(assessment)[0]
    team = login_as(lead, on=app.test_client())
    assert upload(team, assessment, code, PDF, "acta-publica.pdf", public=True).status_code == 302
    assert upload(team, assessment, code, PNG, "captura-interna.png", public=True).status_code == 302
    answer_all(assessment, rating=3)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    return assessment


def _publish_url(assessment) -> str:
    return f"/safeguards/assessments/{assessment.id}/publish"


def test_the_preview_lists_each_file_with_a_box_checked_as_the_team_proposed(
    client, login_as, staff, with_files, db
):
    first, second = files(db)
    second.is_public = False  # the team keeps this one private
    db.session.commit()
    login_as(staff)
    html = client.get(_publish_url(with_files)).get_data(as_text=True)
    assert "acta-publica.pdf" in html and "captura-interna.png" in html
    assert "PDF, 1 KB" in html and "el equipo propuso hacerlo público" in html
    _action, data = press(html, "Publicar ahora", {})
    assert data["public"] == str(first.id)  # checked: the team's proposal; the other box is not
    assert f'id="public-{second.id}" checked' not in html and f'value="{second.id}"' in html


def test_publishing_with_one_box_checked_makes_only_that_file_public(
    app, client, login_as, staff, with_files, db, mail_outbox
):
    kept, private = files(db)
    login_as(staff)
    action, data = press(client.get(_publish_url(with_files)).get_data(as_text=True), "Publicar ahora", {})
    data["public"] = [str(kept.id)]  # the staff member unchecks the second box
    assert client.post(action or _publish_url(with_files), data=data).status_code == 302
    kept, private = files(db)
    assert kept.is_public and not private.is_public
    assert with_files.state is AssessmentState.PUBLISHED
    anonymous = app.test_client()
    response = anonymous.get(download_url(with_files, kept))
    assert response.status_code == 200 and response.data == PDF
    response.close()
    assert anonymous.get(download_url(with_files, private)).status_code == 404
    results = anonymous.get(f"/safeguards/assessments/{with_files.id}/results").get_data(as_text=True)
    assert "Archivos de evidencia públicos" in results
    assert download_url(with_files, kept) in results and "captura-interna.png" not in results
    assert with_files.pilot.team[0].user.name not in results  # no uploader's name in public


def test_publishing_with_no_box_checked_keeps_every_file_private(
    app, client, login_as, staff, with_files, db, mail_outbox
):
    login_as(staff)
    action, data = press(client.get(_publish_url(with_files)).get_data(as_text=True), "Publicar ahora", {})
    data.pop("public")
    assert client.post(action or _publish_url(with_files), data=data).status_code == 302
    assert [f.is_public for f in files(db)] == [False, False]
    results = app.test_client().get(f"/safeguards/assessments/{with_files.id}/results").get_data(as_text=True)
    assert "Archivos de evidencia públicos" not in results


def test_ids_of_another_assessments_files_change_nothing(
    client, login_as, staff, with_files, db, mail_outbox
):
    login_as(staff)
    action, data = press(client.get(_publish_url(with_files)).get_data(as_text=True), "Publicar ahora", {})
    data["public"] = ["999999", "x", "-1"]
    assert client.post(action or _publish_url(with_files), data=data).status_code == 302
    assert [f.is_public for f in files(db)] == [False, False]


def test_the_report_and_the_open_data_list_the_files_chosen_public(
    app, client, login_as, staff, with_files, db, mail_outbox
):
    kept, _private = files(db)
    login_as(staff)
    action, data = press(client.get(_publish_url(with_files)).get_data(as_text=True), "Publicar ahora", {})
    data["public"] = [str(kept.id)]
    assert client.post(action or _publish_url(with_files), data=data).status_code == 302
    anonymous = app.test_client()
    base = f"/safeguards/assessments/{with_files.id}"
    report = anonymous.get(f"{base}/report").get_data(as_text=True)
    assert "Archivos de evidencia públicos" in report and download_url(with_files, kept) in report
    assert "acta-publica.pdf" in report and "PDF, 1 KB" in report and "captura-interna.png" not in report
    body = anonymous.get(f"{base}/data.json").get_json()
    (listed,) = body["evidence_files"]
    assert listed["name"] == "acta-publica.pdf" and listed["size"] == len(PDF)
    assert listed["url"].endswith(download_url(with_files, kept)) and listed["url"].startswith("http")
    assert listed["process"] == in_scope_codes(with_files)[0]
    csv_text = anonymous.get(f"{base}/answers.csv").get_data(as_text=True)
    assert download_url(with_files, kept) in csv_text and "captura-interna.png" not in csv_text
