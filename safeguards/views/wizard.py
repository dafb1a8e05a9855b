"""The team's wizard: scope and one step per principle (with autosave); submitting is ``submission``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person
from safeguards import answers, policies, services
from safeguards import framework as fw
from safeguards.forms import AnswerForm, ScopeForm, ShownAnswer, answer_texts
from safeguards.models import Answer, Assessment, AssessmentState
from safeguards.views import bp, presenter


def _editable_or_redirect(assessment: Assessment):
    if not policies.is_team(current_user, assessment.pilot):
        abort(404 if not can(Permission.SAFEGUARDS_VIEW, assessment) else 403)
    if not assessment.is_team_editable:
        flash(
            _("This assessment is %(state)s: the team cannot change it now.", state=assessment.state.label),
            "info",
        )
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    return None


def _flash_locked(locked: services.AssessmentLocked) -> None:
    flash(
        _(
            "The assessment became %(state)s while you were working, so nothing was saved. "
            "What you typed is still below.",
            state=locked.state.label,
        ),
        "error",
    )


@bp.route("/safeguards/assessments/<int:assessment_id>")
@public
def assessment(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    if assessment.is_team_editable and policies.is_team(current_user, assessment.pilot):
        if not assessment.has_scope:
            return redirect(url_for("safeguards.scope", assessment_id=assessment.id))
        wizard = presenter.Wizard(assessment)
        # open threads first (the "changes requested" e-mail leads here), then what is unanswered
        step = next((s for s in wizard.steps()[1:-1] if s["open_threads"]), None) or next(
            (s for s in wizard.steps()[1:-1] if not s["complete"] and s["count"]), None
        )
        return redirect(step["url"] if step else url_for("safeguards.submit", assessment_id=assessment.id))
    if assessment.state is AssessmentState.SUBMITTED and policies.may_review(current_user, assessment):
        return redirect(url_for("safeguards.review", assessment_id=assessment.id))
    return redirect(url_for("safeguards.results", assessment_id=assessment.id))


@bp.route("/safeguards/assessments/<int:assessment_id>/scope", methods=["GET", "POST"])
@require()
def scope(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = presenter.Wizard(assessment)
    form = ScopeForm(wizard.idx, obj=assessment if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = assessment.version
    status = 200
    if form.validate_on_submit():
        try:
            with transaction.action():
                services.set_scope(
                    assessment,
                    form.authorities.data,
                    form.stages.data,
                    expected_version=int(form.version.data or 0),
                    by=current_person(),
                )
        except services.AssessmentLocked as locked:
            _flash_locked(locked)
            status = 409
        except services.StaleAssessment:
            form.version.data = assessment.version
            flash(
                _(
                    "Someone else changed the scope while you were choosing. "
                    "The saved scope is listed below; check and save again."
                ),
                "error",
            )
            status = 409
        else:
            flash(_("The scope was saved."), "success")
            if request.form.get("next"):
                first = wizard.idx.principles[0].code
                return redirect(url_for("safeguards.step", assessment_id=assessment.id, code=first))
            return redirect(url_for("safeguards.scope", assessment_id=assessment.id))
    # the preview shows what the chosen scope brings in, with the reason for each item
    authorities = form.authorities.data or assessment.authorities
    stages = form.stages.data or assessment.stages
    preview = [(p, fw.scope_reason(p, authorities, stages)) for p in wizard.idx.processes]
    counts = {code: 0 for code in wizard.idx.principle_codes}
    for process, reason in preview:
        if reason is not None:
            counts[process.principle] += 1
    return (
        render_template(
            "safeguards/scope.html",
            assessment=assessment,
            wizard=wizard,
            form=form,
            preview=[(p, r) for p, r in preview if r is not None],
            counts=counts,
            few=presenter.FEW_ITEMS,
        ),
        status,
    )


def _answer_forms(items: list[services.Item], formdata=None) -> list[tuple]:
    """Each item with its form: the sent one to check, or, before anything is sent, the saved answer."""
    if formdata is None:
        return [(item, ShownAnswer(item.answer, f"a{item.answer.id}")) for item in items]
    return [(item, AnswerForm(formdata, prefix=f"a{item.answer.id}")) for item in items]


def _answer_input(form: AnswerForm) -> answers.AnswerInput:
    return answers.AnswerInput.from_choice(
        form.choice.data or "",
        justification=form.justification.data,
        evidence=form.evidence.data,
        links=form.links.data,
        confidence=form.confidence.data,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/steps/<code>", methods=["GET", "POST"])
@require()
def step(assessment_id: int, code: str):
    assessment = policies.assessment_or_404(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = presenter.Wizard(assessment, with_users=True)
    principle = wizard.idx.principle(code)
    if principle is None:
        abort(404)
    if not assessment.has_scope:
        flash(_("Choose the scope first: it decides which items you assess."), "info")
        return redirect(url_for("safeguards.scope", assessment_id=assessment.id))
    items = wizard.items_of(code)
    outer = PostForm()
    status = 200
    conflicts: dict[int, object] = {}
    if request.method == "POST" and outer.validate_on_submit():
        pairs = _answer_forms(items, request.form)
        problems = saved = 0
        locked = None
        try:
            with transaction.action():
                for item, form in pairs:
                    data = _answer_input(form)
                    if answers.fingerprint(data) == request.form.get(f"a{item.answer.id}-base"):
                        continue  # this person did not touch the item
                    try:
                        version = int(form.version.data or 0)
                    except ValueError:
                        version = 0
                    try:
                        saved += answers.save_answer(
                            item.answer, data, expected_version=version, by=current_person()
                        )
                    except services.StaleAnswer as conflict:
                        conflicts[item.answer.id] = conflict.current
                        form.version.data = conflict.current.version
                    except services.InvalidAnswer as invalid:
                        problems += 1
                        for field, message in invalid.errors.items():
                            getattr(form, "choice" if field == "rating" else field).errors = [str(message)]
        except services.AssessmentLocked as error:
            locked = error
        if locked is not None:
            status, conflicts = 409, {}
            _flash_locked(locked)
        elif conflicts:
            status = 409
            flash(
                ngettext(
                    "Someone else saved %(num)s of these items while you were working. "
                    "Both versions are shown; choose what to keep and save again.",
                    "Someone else saved %(num)s of these items while you were working. "
                    "Both versions are shown; choose what to keep and save again.",
                    len(conflicts),
                ),
                "error",
            )
        elif problems:
            flash(
                ngettext(
                    "%(num)s item needs a fix before it can be saved; the others were saved.",
                    "%(num)s items need a fix before they can be saved; the others were saved.",
                    problems,
                ),
                "error",
            )
        else:
            flash(_("Saved.") if saved else _("Nothing had changed."), "success")
            previous, following = wizard.neighbours(code)
            target = (
                following
                if request.form.get("go") == "next"
                else (previous if request.form.get("go") == "previous" else request.path)
            )
            return redirect(target or request.path)
        # re-render: saved items show their new versions; conflicted and invalid ones keep what was typed
        for item, form in pairs:
            if item.answer.id not in conflicts and not any(f.errors for f in form):
                form.version.data = item.answer.version
    else:
        pairs = _answer_forms(items)
    bases = {
        item.answer.id: answers.fingerprint(conflicts.get(item.answer.id, item.answer)) for item in items
    }
    if request.method == "POST":
        for item, form in pairs:
            if item.answer.id not in conflicts and any(f.errors for f in form):
                bases[item.answer.id] = request.form.get(f"a{item.answer.id}-base", bases[item.answer.id])
    previous, following = wizard.neighbours(code)
    return (
        render_template(
            "safeguards/step.html",
            assessment=assessment,
            wizard=wizard,
            principle=principle,
            pairs=pairs,
            bases=bases,
            conflicts=conflicts,
            outer=outer,
            previous=previous,
            following=following,
            few=presenter.FEW_ITEMS,
            answer_texts=answer_texts(),
        ),
        status,
    )


def _current_json(answer) -> dict:
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence": answer.evidence,
        "links": answer.links,
        "confidence": answer.confidence,
        "version": answer.version,
        "base": answers.fingerprint(answer),
        "updated_by": answer.updated_by.name if answer.updated_by else "",
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
    }


@bp.route("/safeguards/assessments/<int:assessment_id>/answers/<process>", methods=["POST"])
@require()
def autosave(assessment_id: int, process: str):
    """The wizard's JavaScript saves one item here; a 409 carries the saved version to compare."""
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.is_team(current_user, assessment.pilot):
        abort(403)
    answer = db.session.scalar(
        sa.select(Answer)
        .join(Answer.process)
        .where(Answer.assessment_id == assessment.id, fw.Process.code == process)
        .options(joinedload(Answer.updated_by))
    )
    if answer is None:
        abort(404)
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}  # any JSON value parses; only an object holds fields
    data = answers.AnswerInput.from_choice(
        str(body.get("choice") or ""),
        **{
            field: str(body.get(field) or "")
            for field in ("justification", "evidence", "links", "confidence")
        },
    )
    try:
        version = int(body.get("version"))
    except (TypeError, ValueError):
        return jsonify(message=_("The request did not say which version it was based on.")), 428
    try:
        with transaction.action():
            saved = answers.save_answer(answer, data, expected_version=version, by=current_person())
    except services.AssessmentLocked:
        return jsonify(message=_("This assessment is locked: it was submitted or approved.")), 409
    except services.StaleAnswer as conflict:
        return jsonify(
            message=_("Someone else saved this item after you started. Compare both versions and choose."),
            current=_current_json(conflict.current),
        ), 409
    except services.InvalidAnswer as invalid:
        return jsonify(
            message=_("Not saved yet."), errors={k: str(v) for k, v in invalid.errors.items()}
        ), 422
    return jsonify(saved=bool(saved), version=answer.version, base=answers.fingerprint(answer))
