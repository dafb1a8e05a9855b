from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.csvexport import csv_response
from consortium.db import db
from consortium.forms import OnceForm, PostForm, first_submission, remember_result
from consortium.i18n import localised
from consortium.inputs import parse_id
from consortium.permissions import Permission, can, public, require
from consortium.suggestions import for_principles
from consortium.users.models import User
from safeguards import framework as fw
from safeguards import policies, scoring, services, workflow
from safeguards.forms import (
    AnswerForm,
    MemberForm,
    PilotForm,
    ReviewForm,
    ScopeForm,
    SystemForm,
)
from safeguards.models import (
    RATING_LABELS,
    Assessment,
    AssessmentState,
    DpiSystem,
    Pilot,
    PilotMember,
    SystemKind,
    TeamRole,
)

bp = Blueprint(
    "safeguards",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/safeguards/static",
)

FEW_ITEMS = 3
LEVEL_LABELS = {
    scoring.CRITICAL: "Critical",
    scoring.EMERGING: "Emerging",
    scoring.DEVELOPING: "Developing",
    scoring.ADVANCED: "Advanced",
}


def _user():
    return current_user._get_current_object()


def _load(assessment_id: int) -> Assessment:
    assessment = services.load_assessment(assessment_id)
    if assessment is None or not can(Permission.SAFEGUARDS_VIEW, assessment):
        abort(404)
    return assessment


def _load_pilot(pilot_id: int) -> Pilot:
    pilot = db.session.scalar(
        sa.select(Pilot)
        .where(Pilot.id == pilot_id)
        .options(joinedload(Pilot.system), sa.orm.selectinload(Pilot.members).joinedload(PilotMember.user))
    )
    if pilot is None or not can(Permission.SAFEGUARDS_VIEW, pilot):
        abort(404)
    return pilot


def level_label(level: str | None) -> str:
    return {
        scoring.CRITICAL: _("Critical"),
        scoring.EMERGING: _("Emerging"),
        scoring.DEVELOPING: _("Developing"),
        scoring.ADVANCED: _("Advanced"),
    }.get(level, _("No score"))


@bp.app_template_filter("safeguards_level")
def _level_filter(level):
    return level_label(level)


@bp.app_context_processor
def _helpers():
    return {"safeguards_rating_labels": RATING_LABELS}


# Landing, how scores work, systems and pilots ------------------------------------------------------


@bp.route("/safeguards")
@public
def index():
    published = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.state == AssessmentState.PUBLISHED)
        .options(joinedload(Assessment.pilot).joinedload(Pilot.system), joinedload(Assessment.framework))
        .order_by(Assessment.published_at.desc())
    ).all()
    systems = db.session.scalars(sa.select(DpiSystem).order_by(DpiSystem.name)).all()
    return render_template(
        "safeguards/index.html",
        published=published,
        systems=systems,
        pilots=services.pilots_for(current_user),
    )


@bp.route("/safeguards/how-scores-work")
@public
def how_scores_work():
    return render_template("safeguards/how_scores_work.html")


@bp.route("/safeguards/framework/<version>")
@public
def framework_page(version: str):
    framework = fw.by_version(version)
    if framework is None:
        abort(404)
    return render_template("safeguards/framework.html", idx=fw.index(framework.id))


@bp.route("/safeguards/systems/new", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def new_system():
    form = SystemForm()
    if form.validate_on_submit():
        url = url_for("safeguards.index")
        try:
            with transaction.action():
                earlier = first_submission(form)
                if earlier is None:
                    services.create_system(
                        slug=form.slug.data,
                        name=form.name.data,
                        countries=form.countries.data,
                        kind=SystemKind(form.kind.data),
                        operator=form.operator.data,
                        description=form.description.data or "",
                    )
                    remember_result(form, url)
        except services.SystemExists:
            form.slug.errors.append(_("Another system already uses this short name."))
        else:
            if earlier is not None:
                return redirect(earlier.result_url or url)
            flash(_("The DPI system was added."), "success")
            return redirect(url)
    return render_template("safeguards/system_form.html", form=form)


@bp.route("/safeguards/pilots/new", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def new_pilot():
    systems = db.session.scalars(sa.select(DpiSystem).order_by(DpiSystem.name)).all()
    form = PilotForm(systems)
    if form.validate_on_submit():
        lead = db.session.scalar(sa.select(User).where(User.email == form.lead_email.data.strip().lower()))
        if lead is None:
            form.lead_email.errors.append(_("Nobody has an account with this e-mail address yet."))
        else:
            system = db.session.get(DpiSystem, int(form.system.data))
            with transaction.action():
                earlier = first_submission(form)
                if earlier is None:
                    pilot = services.create_pilot(
                        system, form.country.data, form.title.data, lead=lead, by=_user()
                    )
                    url = url_for("safeguards.pilot", pilot_id=pilot.id)
                    remember_result(form, url)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("safeguards.index"))
            flash(_("The pilot was created."), "success")
            return redirect(url)
    return render_template("safeguards/pilot_form.html", form=form)


def _cycle_scores(
    assessments: list[Assessment], known=None
) -> list[tuple[Assessment, scoring.Scores, scoring.Scores]]:
    """Scores per cycle; ``known`` = (assessment id, index, self, reviewed) already computed by the page."""
    result = []
    indexes: dict[int, fw.FrameworkIndex] = {}
    if known is not None:
        indexes[known[1].framework.id] = known[1]
    for assessment in assessments:
        if known is not None and assessment.id == known[0]:
            result.append((assessment, known[2], known[3]))
            continue
        if assessment.framework_id not in indexes:
            indexes[assessment.framework_id] = fw.index(assessment.framework_id)
        idx = indexes[assessment.framework_id]
        self_, reviewed = services.scores(idx, services.items(assessment, idx))
        result.append((assessment, self_, reviewed))
    return result


@bp.route("/safeguards/pilots/<int:pilot_id>")
@require()
def pilot(pilot_id: int):
    pilot = _load_pilot(pilot_id)
    assessments = [
        a
        for a in db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.pilot_id == pilot.id)
            .options(joinedload(Assessment.framework))
            .order_by(Assessment.cycle)
        )
        if can(Permission.SAFEGUARDS_VIEW, a)
    ]
    return render_template(
        "safeguards/pilot.html",
        pilot=pilot,
        assessments=assessments,
        trend=_cycle_scores(assessments),
        member_form=MemberForm(roles=policies.roles_offered(current_user)),
        cycle_form=OnceForm(),
        post_form=PostForm(),
        may_manage=policies.may_manage_team(current_user, pilot),
        removable={m.id for m in pilot.members if policies.may_remove(current_user, m)},
        may_start=policies.is_team(current_user, pilot) or can(Permission.SAFEGUARDS_MANAGE),
    )


@bp.route("/safeguards/pilots/<int:pilot_id>/members", methods=["POST"])
@require()
def add_member(pilot_id: int):
    pilot = _load_pilot(pilot_id)
    if not policies.may_manage_team(current_user, pilot):
        abort(403)
    form = MemberForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("safeguards.pilot", pilot_id=pilot.id))
    role = TeamRole(form.role.data)
    user = db.session.scalar(sa.select(User).where(User.email == form.email.data.strip().lower()))
    if user is None:
        flash(_("Nobody has an account with this e-mail address yet."), "error")
    elif user.id == current_user.id:
        flash(_("You cannot add yourself to a pilot or change your own role. Ask an admin."), "error")
    elif not policies.may_give_role(current_user, pilot, user, role):
        abort(403)
    else:
        try:
            with transaction.action():
                services.add_member(pilot, user, role, by=_user())
        except services.ReviewerNotStaff:
            flash(_("Reviewers must be consortium staff."), "error")
        else:
            flash(_("%(name)s is now on the pilot as %(role)s.", name=user.name, role=role.label), "success")
    return redirect(url_for("safeguards.pilot", pilot_id=pilot.id))


@bp.route("/safeguards/pilots/<int:pilot_id>/members/<int:member_id>/remove", methods=["POST"])
@require()
def remove_member(pilot_id: int, member_id: int):
    pilot = _load_pilot(pilot_id)
    member = next((m for m in pilot.members if m.id == member_id), None)
    if member is None:
        abort(404)
    if not policies.may_remove(current_user, member):
        abort(403)
    leads = [m for m in pilot.members if m.role is TeamRole.LEAD]
    if member.role is TeamRole.LEAD and len(leads) == 1:
        flash(_("A pilot needs a lead. Make someone else lead first."), "error")
    elif PostForm().validate_on_submit():
        with transaction.action():
            services.remove_member(member, by=_user())
        flash(_("The person was removed from the pilot."), "success")
    return redirect(url_for("safeguards.pilot", pilot_id=pilot.id))


@bp.route("/safeguards/pilots/<int:pilot_id>/cycles", methods=["POST"])
@require()
def start_cycle(pilot_id: int):
    pilot = _load_pilot(pilot_id)
    if not (policies.is_team(current_user, pilot) or can(Permission.SAFEGUARDS_MANAGE)):
        abort(403)
    form = OnceForm()
    here = url_for("safeguards.pilot", pilot_id=pilot.id)
    if not form.validate_on_submit():
        return redirect(here)
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                assessment = services.start_assessment(pilot, by=_user())
                url = url_for("safeguards.scope", assessment_id=assessment.id)
                remember_result(form, url)
    except services.SafeguardsError:
        flash(_("Finish and approve the current cycle before starting a new one."), "error")
        return redirect(here)
    if earlier is not None:
        return redirect(earlier.result_url or here)
    flash(_("A new assessment cycle started from a copy of the last one."), "success")
    return redirect(url)


# The wizard --------------------------------------------------------------------------------------


class Wizard:
    """What every wizard page needs, in a fixed number of queries: steps, progress and items."""

    def __init__(self, assessment: Assessment, *, with_users: bool = False):
        self.assessment = assessment
        self.idx = fw.index(assessment.framework_id)
        self.items = services.items(assessment, self.idx, with_users=with_users)
        self.in_scope = [item for item in self.items if item.in_scope]

    def items_of(self, code: str) -> list[services.Item]:
        return [item for item in self.in_scope if item.process.principle == code]

    def steps(self) -> list[dict]:
        steps = [
            {
                "code": "scope",
                "label": _("Scope"),
                "url": url_for("safeguards.scope", assessment_id=self.assessment.id),
                "complete": self.assessment.has_scope,
                "count": None,
            }
        ]
        for principle in self.idx.principles:
            group = self.items_of(principle.code)
            answered = sum(1 for item in group if scoring.is_answered(item.answer.status.value))
            steps.append(
                {
                    "code": principle.code,
                    "label": f"{principle.code} · {principle.label}",
                    "name": principle.label,
                    "url": url_for("safeguards.step", assessment_id=self.assessment.id, code=principle.code),
                    "complete": self.assessment.has_scope and bool(group) and answered == len(group),
                    "count": len(group),
                    "answered": answered,
                }
            )
        steps.append(
            {
                "code": "submit",
                "label": _("Review and submit"),
                "url": url_for("safeguards.submit", assessment_id=self.assessment.id),
                "complete": self.assessment.state
                not in (AssessmentState.DRAFT, AssessmentState.CHANGES_REQUESTED),
                "count": None,
            }
        )
        return steps

    def progress(self) -> tuple[int, int]:
        answered = sum(1 for item in self.in_scope if scoring.is_answered(item.answer.status.value))
        return answered, len(self.in_scope)

    def neighbours(self, code: str) -> tuple[str | None, str | None]:
        steps = self.steps()
        position = next(i for i, s in enumerate(steps) if s["code"] == code)
        previous = steps[position - 1]["url"] if position > 0 else None
        following = steps[position + 1]["url"] if position + 1 < len(steps) else None
        return previous, following


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
    assessment = _load(assessment_id)
    if assessment.is_team_editable and policies.is_team(current_user, assessment.pilot):
        if not assessment.has_scope:
            return redirect(url_for("safeguards.scope", assessment_id=assessment.id))
        wizard = Wizard(assessment)
        step = next((s for s in wizard.steps()[1:-1] if not s["complete"] and s["count"]), None)
        return redirect(step["url"] if step else url_for("safeguards.submit", assessment_id=assessment.id))
    if assessment.state is AssessmentState.SUBMITTED and policies.may_review(current_user, assessment):
        return redirect(url_for("safeguards.review", assessment_id=assessment.id))
    return redirect(url_for("safeguards.results", assessment_id=assessment.id))


@bp.route("/safeguards/assessments/<int:assessment_id>/scope", methods=["GET", "POST"])
@require()
def scope(assessment_id: int):
    assessment = _load(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = Wizard(assessment)
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
                    by=_user(),
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
            few=FEW_ITEMS,
        ),
        status,
    )


def _answer_forms(items: list[services.Item], formdata=None) -> list[tuple[services.Item, AnswerForm]]:
    pairs = []
    for item in items:
        prefix = f"a{item.answer.id}"
        if formdata is None:
            form = AnswerForm(prefix=prefix, obj=item.answer, data={"choice": item.answer.choice})
            form.version.data = item.answer.version
        else:
            form = AnswerForm(formdata, prefix=prefix)
        pairs.append((item, form))
    return pairs


def _answer_input(form: AnswerForm) -> services.AnswerInput:
    return services.AnswerInput.from_choice(
        form.choice.data or "",
        justification=form.justification.data,
        evidence=form.evidence.data,
        links=form.links.data,
        confidence=form.confidence.data,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/steps/<code>", methods=["GET", "POST"])
@require()
def step(assessment_id: int, code: str):
    assessment = _load(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = Wizard(assessment, with_users=True)
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
                    if services.fingerprint(data) == request.form.get(f"a{item.answer.id}-base"):
                        continue  # this person did not touch the item
                    try:
                        version = int(form.version.data or 0)
                    except ValueError:
                        version = 0
                    try:
                        saved += services.save_answer(item.answer, data, expected_version=version, by=_user())
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
                _(
                    "Someone else saved %(n)s of these items while you were working. "
                    "Both versions are shown; choose what to keep and save again.",
                    n=len(conflicts),
                ),
                "error",
            )
        elif problems:
            flash(
                _("%(n)s items need a fix before they can be saved; the others were saved.", n=problems),
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
        item.answer.id: services.fingerprint(conflicts.get(item.answer.id, item.answer)) for item in items
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
            few=FEW_ITEMS,
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
        "base": services.fingerprint(answer),
        "updated_by": answer.updated_by.name if answer.updated_by else "",
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
    }


@bp.route("/safeguards/assessments/<int:assessment_id>/answers/<process>", methods=["POST"])
@require()
def autosave(assessment_id: int, process: str):
    """The wizard's JavaScript saves one item here; a 409 carries the saved version to compare."""
    assessment = _load(assessment_id)
    if not policies.is_team(current_user, assessment.pilot):
        abort(403)
    answer = db.session.scalar(
        sa.select(services.Answer)
        .join(services.Answer.process)
        .where(services.Answer.assessment_id == assessment.id, fw.Process.code == process)
        .options(joinedload(services.Answer.updated_by))
    )
    if answer is None:
        abort(404)
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}  # any JSON value parses; only an object holds fields
    data = services.AnswerInput.from_choice(
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
            saved = services.save_answer(answer, data, expected_version=version, by=_user())
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
    return jsonify(saved=bool(saved), version=answer.version, base=services.fingerprint(answer))


@bp.route("/safeguards/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@require()
def submit(assessment_id: int):
    assessment = _load(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = Wizard(assessment)
    form = PostForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                workflow.submit(assessment, by=_user())
        except services.NoReviewer:
            pass  # nothing changed; the page below says why and offers no button
        except services.AssessmentLocked:  # submitted meanwhile (a double click, a teammate)
            flash(_("This assessment was already submitted."), "info")
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
        except services.InvalidTransition:
            flash(_("Choose the scope before submitting."), "error")
        else:
            flash(
                _("Submitted. The reviewers were told; the assessment is locked until they answer."),
                "success",
            )
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    self_, _reviewed = services.scores(wizard.idx, wizard.items)
    return render_template(
        "safeguards/submit.html", assessment=assessment, wizard=wizard, form=form, scores=self_, few=FEW_ITEMS
    )


# Review ------------------------------------------------------------------------------------------


@bp.route("/safeguards/assessments/<int:assessment_id>/review", methods=["GET", "POST"])
@require()
def review(assessment_id: int):
    """Ratings, comments and the decision: one form, saved together in one action or not at all."""
    assessment = _load(assessment_id)
    if not policies.may_review(current_user, assessment):
        abort(403)
    if request.method == "GET" and assessment.state is not AssessmentState.SUBMITTED:
        flash(_("Only submitted assessments can be reviewed."), "info")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    wizard = Wizard(assessment, with_users=True)
    form = ReviewForm([item.answer for item in wizard.in_scope])
    status, conflicts = 200, {}
    if form.validate_on_submit():
        decision, saved = form.decision, False
        try:
            with transaction.action():
                workflow.review(
                    assessment, form.changes(), decision=decision, note=form.note.data or "", by=_user()
                )
        except workflow.InvalidReview as invalid:
            form.mark(invalid.items, invalid.note)
        except workflow.StaleReview as stale:
            status, conflicts = 409, stale.current
            for answer_id, current in conflicts.items():
                form.items[answer_id].version.data = current.version
            flash(
                _("Someone changed some items while you reviewed; they are marked. Nothing was saved."),
                "error",
            )
        except services.AssessmentLocked as locked:
            status = 409
            flash(
                _(
                    "Another reviewer decided first: the assessment is now %(state)s. "
                    "Nothing was saved; what you typed is still below.",
                    state=locked.state.label,
                ),
                "error",
            )
        else:
            if decision is not None or not (form.note.data or "").strip():
                return _reviewed(assessment, decision)
            saved = True
        wizard = Wizard(assessment, with_users=True)  # the rows as they are now, read in one query
        if saved:  # a note goes out with a decision only: show the saved review, the note still typed
            flash(_("The review was saved."), "success")
            form = ReviewForm([item.answer for item in wizard.in_scope], None, note=form.note.data)
    if request.method == "POST" and form.has_errors:
        status = 422
        flash(_("Nothing was saved: fix the marked values and send the review again."), "error")
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    return (
        render_template(
            "safeguards/review.html",
            assessment=assessment,
            wizard=wizard,
            form=form,
            conflicts=conflicts,
            self_scores=self_,
            reviewed_scores=reviewed,
        ),
        status,
    )


def _reviewed(assessment: Assessment, decision: workflow.Decision | None):
    if decision is None:
        flash(_("The review was saved."), "success")
        return redirect(url_for("safeguards.review", assessment_id=assessment.id))
    if decision is workflow.Decision.APPROVE:
        flash(_("The assessment is approved. It can no longer change."), "success")
    else:
        flash(_("The assessment went back to the team with your comments."), "success")
    return redirect(url_for("safeguards.results", assessment_id=assessment.id))


@bp.route("/safeguards/assessments/<int:assessment_id>/publish", methods=["POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def publish(assessment_id: int):
    assessment = _load(assessment_id)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                workflow.publish(assessment, by=_user())
        except services.InvalidTransition:
            flash(_("Only approved assessments can be published."), "error")
        else:
            flash(_("Published: the results and open data are public now."), "success")
    return redirect(url_for("safeguards.results", assessment_id=assessment.id))


# Results, comparison and exports ----------------------------------------------------------------


def _weakest(wizard: Wizard, limit: int = 5) -> list[tuple[services.Item, int]]:
    valued = []
    for item in wizard.in_scope:
        answer = item.answer
        rating = answer.reviewed_rating if answer.reviewed_rating is not None else answer.rating
        status = "rated" if answer.reviewed_rating is not None else answer.status.value
        value = scoring.item_value(status, rating)
        if value is not None and value < 3:
            valued.append((item, value))
    return sorted(valued, key=lambda pair: (pair[1], pair[0].process.code))[:limit]


def _chart(idx: fw.FrameworkIndex, self_: scoring.Scores, reviewed: scoring.Scores) -> dict:
    row = 22
    return {
        "row": row,
        "height": row * len(idx.principles) + 24,
        "bars": [
            {
                "code": p.code,
                "y": 12 + i * row,
                "self": self_.principles.get(p.code),
                "reviewed": reviewed.principles.get(p.code),
            }
            for i, p in enumerate(idx.principles)
        ],
    }


@bp.route("/safeguards/assessments/<int:assessment_id>/results")
@public
def results(assessment_id: int):
    assessment = _load(assessment_id)
    wizard = Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    weakest = _weakest(wizard)
    principles = sorted({item.process.principle for item, _value in weakest})
    suggestions = for_principles(principles, 3)
    pilot_cycles = [
        a
        for a in db.session.scalars(
            sa.select(Assessment).where(Assessment.pilot_id == assessment.pilot_id).order_by(Assessment.cycle)
        )
        if can(Permission.SAFEGUARDS_VIEW, a)
    ]
    return render_template(
        "safeguards/results.html",
        may_edit=policies.may_edit_answers(current_user, assessment),
        may_review=assessment.state is AssessmentState.SUBMITTED
        and policies.may_review(current_user, assessment),
        assessment=assessment,
        wizard=wizard,
        self_scores=self_,
        reviewed_scores=reviewed,
        chart=_chart(wizard.idx, self_, reviewed),
        risks=sorted(
            wizard.idx.risks,
            key=lambda r: (reviewed.risks.get(r.code) is None, -(reviewed.risks.get(r.code) or 0)),
        ),
        weakest=weakest,
        suggestions=suggestions,
        trend=_cycle_scores(pilot_cycles, (assessment.id, wizard.idx, self_, reviewed))
        if len(pilot_cycles) > 1
        else [],
        post_form=PostForm(),
        few=FEW_ITEMS,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/report")
@public
def report(assessment_id: int):
    assessment = _load(assessment_id)
    wizard = Wizard(assessment, with_users=True)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    return render_template(
        "safeguards/report.html",
        assessment=assessment,
        wizard=wizard,
        self_scores=self_,
        reviewed_scores=reviewed,
        chart=_chart(wizard.idx, self_, reviewed),
        few=FEW_ITEMS,
    )


CSV_COLUMNS = (
    "process",
    "principle",
    "title",
    "in_scope",
    "status",
    "rating",
    "justification",
    "evidence",
    "links",
    "confidence",
    "reviewed_rating",
    "reviewer_comment",
    "version",
    "updated_at",
)


@bp.route("/safeguards/assessments/<int:assessment_id>/answers.csv")
@public
def export_csv(assessment_id: int):
    assessment = _load(assessment_id)
    wizard = Wizard(assessment)
    rows = []
    for item in wizard.in_scope:
        row = services.answer_data(item)
        row["title"] = localised(item.process.title)
        row["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else ""
        rows.append([row[c] for c in CSV_COLUMNS])
    pilot = assessment.pilot
    name = f"safeguards-{pilot.system.slug}-{pilot.country.lower()}-cycle{assessment.cycle}.csv"
    response = csv_response(CSV_COLUMNS, rows, name)
    if assessment.state is AssessmentState.PUBLISHED:
        response.headers["Link"] = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    return response


@bp.route("/safeguards/assessments/<int:assessment_id>/data.json")
@public
def export_json(assessment_id: int):
    assessment = _load(assessment_id)
    wizard = Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    body = {
        **services.assessment_summary(assessment),
        "published_at": assessment.published_at.isoformat() if assessment.published_at else None,
        "licence_url": "https://creativecommons.org/licenses/by/4.0/"
        if assessment.state is AssessmentState.PUBLISHED
        else None,
        "framework_attribution": wizard.idx.framework.attribution,
        "scores": {"self": services.score_data(self_), "reviewed": services.score_data(reviewed)},
        "answers": [
            {**services.answer_data(item), "updated_at": item.answer.updated_at.isoformat()}
            for item in wizard.in_scope
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")


@bp.route("/safeguards/compare")
@public
def compare():
    ids = [i for i in map(parse_id, request.args.getlist("ids")[:4]) if i is not None]
    columns = []
    for assessment_id in dict.fromkeys(ids):
        assessment = _load(assessment_id)
        wizard = Wizard(assessment)
        self_, reviewed = services.scores(wizard.idx, wizard.items)
        columns.append((assessment, wizard, self_, reviewed))
    choices = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.state == AssessmentState.PUBLISHED)
        .options(joinedload(Assessment.pilot).joinedload(Pilot.system))
        .order_by(Assessment.id)
    ).all()
    principles = columns[0][1].idx.principles if columns else []
    return render_template(
        "safeguards/compare.html", columns=columns, principles=principles, choices=choices, ids=ids
    )
