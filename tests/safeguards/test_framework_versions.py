"""Framework versions staff manage: drafts, publishing, pinning, discarding, and filling in missing texts."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from consortium import transaction
from consortium.audit.models import AuditEvent
from consortium.db import db
from safeguards import framework as fw
from safeguards import framework_versions as versions
from safeguards import services
from safeguards.framework_files import read_upload
from safeguards.framework_import import check
from safeguards.models import Answer, AssessmentState, Process
from tests.safeguards.conftest import answer_all
from tests.safeguards.test_framework_import import reference_shape


@pytest.fixture(autouse=True)
def _english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}), transaction.writing():
        yield


def draft_from(document: dict, version="1.1", *, by=None):
    base = fw.latest()
    result = check(read_upload(json.dumps(document).encode(), "f.json"), version, fw.index(base.id))
    assert result.problems == []
    with transaction.action():
        framework = versions.import_version(result, by=by)
    return framework


def reference_1_0_1():
    return reference_shape(json.loads((fw.FRAMEWORKS_DIR / "v1.0.1.json").read_text()))


def test_an_import_is_a_draft_until_published_and_audited(framework, staff):
    draft = draft_from(reference_1_0_1(), by=staff)
    assert not draft.is_published and fw.latest().id == framework.id
    assert fw.by_version("1.1") is None and fw.by_version("1.1", drafts=True).id == draft.id
    with transaction.action():
        versions.publish(draft.id, by=staff)
    assert fw.latest().id == draft.id and draft.published_at is not None
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "safeguards.framework_imported" in actions and "safeguards.framework_published" in actions
    with pytest.raises(versions.NotADraft), transaction.action():
        versions.publish(draft.id, by=staff)


def test_assessments_keep_the_version_they_pinned(framework, pilot, make_assessment, staff):
    old = make_assessment(pilot)
    answer_all(old, rating=3)
    old.state = AssessmentState.PUBLISHED
    db.session.commit()
    draft = draft_from(reference_1_0_1(), by=staff)
    with transaction.action():
        versions.publish(draft.id, by=staff)
    db.session.expire_all()
    assert old.framework.version == "1.0" and len(old.answers) == 96
    # F7.5's items in the old assessment still read the old title; the new version has the corrected one
    old_f75 = next(a.process for a in old.answers if a.process.code == "F7.5")
    assert "whisteblower" in old_f75.title["en"]
    with transaction.action():
        cycle2 = services.start_assessment(pilot)
    assert cycle2.framework.version == "1.1"
    answers = {
        a.process.code: a
        for a in db.session.scalars(sa.select(Answer).where(Answer.assessment_id == cycle2.id))
    }
    assert len(answers) == 103 and "whistleblower" in answers["F7.5"].process.title["en"]
    rated = next(a.process.code for a in old.answers if a.rating == 3)
    assert answers[rated].rating == 3  # copied by code from the last cycle
    assert answers["O5.5-b"].rating is None  # a new process starts unanswered


def test_a_version_number_is_used_once_and_must_come_after_the_current_one(framework):
    draft_from(reference_1_0_1(), "1.1")
    with pytest.raises(versions.VersionTaken):
        draft_from(reference_1_0_1(), "1.1")
    with pytest.raises(versions.VersionNotNewer):
        draft_from(reference_1_0_1(), "0.9")


def test_a_draft_can_be_removed_but_not_a_published_version(framework, staff):
    draft = draft_from(reference_1_0_1())
    with transaction.action():
        assert versions.discard(draft.id, by=staff) == "1.1"
    assert fw.by_version("1.1", drafts=True) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Process)) == 96
    with pytest.raises(versions.NotADraft), transaction.action():
        versions.discard(framework.id, by=staff)


def test_translation_work_lists_processes_lacking_texts_and_filling_them_empties_it(framework, staff):
    draft = draft_from(reference_1_0_1())
    work = {item.process.code: item for item in versions.translation_work(draft.id)}
    assert set(work) == {"F4.7", "F4.11", "F5.1", "O2.9", "O5.2", "O5.5-b", "O8.6", "F7.5"}
    assert work["F7.5"].missing == [("title", "es"), ("title", "pt_BR")] and work["F7.5"].languages == [
        "es",
        "pt_BR",
    ]
    assert len(work["O8.6"].missing) == 8  # only the English title came with the file
    f75 = db.session.scalar(
        sa.select(Process).where(Process.framework_id == draft.id, Process.code == "F7.5")
    )
    texts = {
        "title": {"es": "Implementar un canal de denuncias", "pt_BR": "Implementar um canal de denúncias"}
    }
    texts["title"]["en"] = f75.title["en"]
    texts |= {name: dict(getattr(f75, name)) for name in ("question", "evidence")}
    with transaction.action():
        assert versions.save_texts(f75, texts, by=staff) == ["title.es", "title.pt_BR"]
    assert "F7.5" not in {item.process.code for item in versions.translation_work(draft.id)}
    assert (
        fw.index(draft.id).by_code()["F7.5"].title["es"] == "Implementar un canal de denuncias"
    )  # cache renewed
    assert [(v.version, n) for v, n in versions.waiting_work()] == [("1.1", 7)]


def test_a_published_version_only_gets_its_empty_texts_filled_in(framework, staff):
    draft = draft_from(reference_1_0_1())
    with transaction.action():
        versions.publish(draft.id, by=staff)
    o86 = db.session.scalar(
        sa.select(Process).where(Process.framework_id == draft.id, Process.code == "O8.6")
    )
    filled = {"title": {"es": "Garantizar la asignación presupuestaria"}}
    with transaction.action():
        versions.save_texts(o86, filled, by=staff)  # the English title, left empty in the form, stays
    assert o86.title["en"].startswith("Ensure budgetary allocation") and o86.title["es"]
    with pytest.raises(versions.PublishedTextLocked), transaction.action():
        versions.save_texts(o86, {"title": {"es": "Otro título"}}, by=staff)


def test_two_editors_of_the_same_texts_do_not_overwrite_each_other(framework, staff):
    draft = draft_from(reference_1_0_1())
    process = db.session.scalar(
        sa.select(Process).where(Process.framework_id == draft.id, Process.code == "F5.1")
    )
    process_id, seen = process.id, process.version
    # another editor's save lands between this one's read and its write
    db.session.execute(
        sa.update(Process).where(Process.id == process_id).values(version=seen + 1),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(StaleDataError), transaction.action():
        versions.save_texts(process, {"title": {"en": process.title["en"], "es": "Uno"}}, by=staff)


def test_a_draft_imported_again_after_removal_is_read_afresh(framework, staff):
    draft = draft_from(reference_1_0_1())
    with transaction.action():
        versions.save_texts(f75_of(draft), {"title": {"es": "Canal de denuncias"}}, by=staff)
    assert fw.index(draft.id).by_code()["F7.5"].title.get("es") == "Canal de denuncias"
    with transaction.action():
        versions.discard(draft.id, by=staff)
    again = draft_from(reference_1_0_1())  # SQLite may give it the removed draft's id
    with transaction.action():
        versions.save_texts(f75_of(again), {"title": {"pt_BR": "Canal de denúncias"}}, by=staff)
    assert fw.index(again.id).by_code()["F7.5"].title.get("es") is None


def f75_of(framework):
    query = sa.select(Process).where(Process.framework_id == framework.id, Process.code == "F7.5")
    return db.session.scalar(query)
