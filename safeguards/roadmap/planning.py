"""The team's plan: starting a roadmap, rating candidates and choosing priorities, validation and revisions.

Every change locks the roadmap row (``transaction.lock``) and checks its state inside the lock, so a
rating racing the validation either lands before it (and is frozen with it) or is refused. Validation
freezes a ``RoadmapVersion``: the priorities and every action's plan as they are; a later revision
starts with a changelog and ends in the next validated version. Functions flush and raise; the view's
``transaction.action()`` commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from consortium import text, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed
from safeguards.models import Assessment, AssessmentState
from safeguards.roadmap.candidates import LEVELS, candidates
from safeguards.roadmap.models import Action, ActionState, Priority, Roadmap, RoadmapState, RoadmapVersion
from safeguards.services import InvalidTransition, SafeguardsError

MAX_RATIONALE = 1000
MAX_CHANGELOG = 2000
#: Assessments a roadmap can start from: their results are final and not withdrawn.
STARTS_FROM = frozenset({AssessmentState.APPROVED, AssessmentState.PUBLISHED})


class RoadmapLocked(SafeguardsError):
    """The roadmap is not in a state that allows this change (validated meanwhile, for instance)."""

    def __init__(self, state: RoadmapState):
        super().__init__(state.value)
        self.state = state


class InvalidPriorities(SafeguardsError):
    """Errors by process code and field."""

    def __init__(self, errors: dict[str, dict[str, str]]):
        super().__init__("invalid priorities")
        self.errors = errors


class InvalidChangelog(SafeguardsError):
    def __init__(self, message):
        super().__init__("invalid changelog")
        self.message = message


@dataclass(frozen=True)
class Rating:
    """What the prioritising page says about one candidate."""

    code: str
    urgency: int | None
    feasibility: int | None
    is_selected: bool
    rationale: str


def start(assessment: Assessment, *, by=None) -> Roadmap:
    """The assessment's roadmap, made now if it has none (of two people starting it at once, both get it)."""
    assessment = transaction.lock(Assessment, assessment.id)
    if assessment.state not in STARTS_FROM:
        raise InvalidTransition(f"{assessment.state.value}: no roadmap")
    existing = db.session.scalar(sa.select(Roadmap).where(Roadmap.assessment_id == assessment.id))
    if existing is not None:
        return existing
    roadmap = Roadmap(assessment_id=assessment.id, pilot_id=assessment.pilot_id)
    db.session.add(roadmap)
    db.session.flush()
    state_changed.send(
        roadmap,
        action="safeguards.roadmap_started",
        by=by,
        summary=f"{assessment.pilot.title}, {assessment.cycle}",
    )
    return roadmap


def lock_editable(roadmap_id: int) -> Roadmap:
    roadmap = transaction.lock(Roadmap, roadmap_id)
    if not roadmap.is_editable:
        raise RoadmapLocked(roadmap.state)
    return roadmap


def _clean(value: str) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _problems(rating: Rating, rationale: str) -> dict[str, str]:
    errors = {}
    for name in ("urgency", "feasibility"):
        value = getattr(rating, name)
        if value is not None and value not in LEVELS:
            errors[name] = _l("Choose 1, 2 or 3.")
        elif value is None and rating.is_selected:
            errors[name] = _l("Rate it before choosing it as a priority.")
    if len(rationale) > MAX_RATIONALE:
        errors["rationale"] = _l("Keep this under %(n)s characters.", n=MAX_RATIONALE)
    elif rationale and not text.is_plain_text(rationale):
        errors["rationale"] = text.TEXT_ERROR
    elif rating.is_selected and not rationale:
        errors["rationale"] = _l("Say in a sentence why this is a priority.")
    return errors


def rate(roadmap: Roadmap, ratings: list[Rating], *, by=None) -> int:
    """Save the team's urgency, feasibility, choices and rationales: all or nothing. Returns how many changed.

    Codes that are not candidates are ignored. A priority that holds actions cannot be unchosen.
    """
    roadmap = lock_editable(roadmap.id)
    known = {c.code for c in candidates(roadmap.assessment)}
    saved = {
        p.process_code: p
        for p in db.session.scalars(
            sa.select(Priority)
            .where(Priority.roadmap_id == roadmap.id)
            .execution_options(populate_existing=True)
        )
    }
    with_actions = set(
        db.session.scalars(
            sa.select(Priority.process_code)
            .join(Action, Action.priority_id == Priority.id)
            .where(Priority.roadmap_id == roadmap.id)
        )
    )
    errors: dict[str, dict[str, str]] = {}
    changes = []
    for rating in ratings:
        if rating.code not in known:
            continue
        rationale = _clean(rating.rationale)
        problems = _problems(rating, rationale)
        if not rating.is_selected and rating.code in with_actions:
            problems["is_selected"] = _l("Its actions keep it a priority: remove them first.")
        if problems:
            errors[rating.code] = problems
            continue
        values = (rating.urgency, rating.feasibility, rating.is_selected, rationale)
        current = saved.get(rating.code)
        if current is None and values == (None, None, False, ""):
            continue
        if current is not None and values == (
            current.urgency,
            current.feasibility,
            current.is_selected,
            current.rationale,
        ):
            continue
        changes.append((rating.code, current, values))
    if errors:
        raise InvalidPriorities(errors)
    for code, current, (urgency, feasibility, selected, rationale) in changes:
        if current is None:
            current = Priority(roadmap_id=roadmap.id, process_code=code)
            db.session.add(current)
        current.urgency, current.feasibility = urgency, feasibility
        current.is_selected, current.rationale = selected, rationale
    db.session.flush()
    if changes:
        state_changed.send(
            roadmap,
            action="safeguards.roadmap_prioritised",
            by=by,
            summary=", ".join(code for code, *_rest in changes)[:500],
        )
    return len(changes)


def selected_priorities(roadmap: Roadmap) -> list[dict]:
    """The chosen priorities as a frozen version keeps them (and the API shows them)."""
    return [
        {"code": p.process_code, "urgency": p.urgency, "feasibility": p.feasibility, "rationale": p.rationale}
        for p in roadmap.priorities
        if p.is_selected
    ]


def snapshot(roadmap: Roadmap) -> dict:
    """The plan as it stands: what a validation freezes (and what the public page shows)."""
    actions = db.session.scalars(
        sa.select(Action).where(Action.roadmap_id == roadmap.id).order_by(Action.id)
    ).all()
    return {
        "priorities": selected_priorities(roadmap),
        "actions": [
            {
                "id": a.id,
                "priority": a.priority.process_code,
                "title": a.title,
                "description": a.description,
                "processes": a.processes,
                "principles": a.principles,
                "risks": a.risks,
                "authority": a.authority,
                "owner": a.owner.name,
                "co_owners": [o.name for o in a.co_owners],
                "starts_on": a.starts_on.isoformat() if a.starts_on else None,
                "due_on": a.due_on.isoformat() if a.due_on else None,
                "measurable_outcome": a.measurable_outcome,
                "is_verifiable": a.is_verifiable,
                "milestones": [
                    {"title": m.title, "due_on": m.due_on.isoformat() if m.due_on else None}
                    for m in a.milestones
                ],
            }
            for a in actions
        ],
    }


def validate(roadmap: Roadmap, *, by=None, note: str = "") -> RoadmapVersion:
    """Staff validate the plan: its version is frozen and its proposed actions become validated.

    ``note`` goes into the audit row (the governance decision that validated it, if one did)."""
    roadmap = lock_editable(roadmap.id)
    db.session.refresh(roadmap, ["priorities"])
    if not any(p.is_selected for p in roadmap.priorities):
        raise InvalidTransition("no priorities")
    now = utcnow()
    proposed = db.session.scalars(
        sa.select(Action).where(Action.roadmap_id == roadmap.id, Action.state == ActionState.PROPOSED)
    ).all()
    if not proposed and roadmap.number == 1:
        raise InvalidTransition("no actions")
    for action in proposed:
        action.state, action.state_changed_at = ActionState.VALIDATED, now
    db.session.flush()
    version = RoadmapVersion(
        roadmap_id=roadmap.id,
        number=roadmap.number,
        changelog=roadmap.changelog,
        snapshot=snapshot(roadmap),
        validated_at=now,
        validated_by_id=getattr(by, "id", None),
    )
    db.session.add(version)
    roadmap.state, roadmap.validated_at = RoadmapState.VALIDATED, now
    roadmap.number += 1
    roadmap.changelog = ""
    db.session.flush()
    state_changed.send(
        roadmap,
        action="safeguards.roadmap_validated",
        by=by,
        summary=f"version {version.number}",
        **({"note": note} if note else {}),
    )
    return version


def revise(roadmap: Roadmap, changelog: str, *, by=None) -> None:
    """The team starts the next version of a validated roadmap, saying what it changes."""
    roadmap = transaction.lock(Roadmap, roadmap.id)
    if roadmap.state is not RoadmapState.VALIDATED:
        raise RoadmapLocked(roadmap.state)
    changelog = _clean(changelog)
    if not changelog:
        raise InvalidChangelog(_l("Say what the new version changes: it goes into the changelog."))
    if len(changelog) > MAX_CHANGELOG or not text.is_plain_text(changelog):
        raise InvalidChangelog(_l("Keep this under %(n)s characters.", n=MAX_CHANGELOG))
    roadmap.state, roadmap.changelog = RoadmapState.REVISING, changelog
    db.session.flush()
    state_changed.send(roadmap, action="safeguards.roadmap_revising", by=by, summary=changelog[:200])


def latest_version(roadmap: Roadmap) -> RoadmapVersion | None:
    return db.session.scalar(
        sa.select(RoadmapVersion)
        .where(RoadmapVersion.roadmap_id == roadmap.id)
        .order_by(RoadmapVersion.number.desc())
        .limit(1)
    )
