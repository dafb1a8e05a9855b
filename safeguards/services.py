"""What people do with assessments. Services flush and never commit; they raise domain errors and signal."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consortium import transaction
from consortium.db import db
from consortium.reference.systems import DpiSystem
from consortium.signals import state_changed
from consortium.users.models import User
from safeguards import framework as fw
from safeguards import scoring
from safeguards.models import (
    PUBLIC,
    TEAM_FIELDS,
    Answer,
    Assessment,
    AssessmentState,
    Pilot,
    PilotMember,
    TeamRole,
)


class SafeguardsError(Exception):
    pass


class AssessmentLocked(SafeguardsError):
    """The assessment is not in a state that allows this change."""

    def __init__(self, state: AssessmentState):
        super().__init__(state.value)
        self.state = state


class StaleAnswer(SafeguardsError):
    """Someone saved this item after the version the change was based on."""

    def __init__(self, current: Answer):
        super().__init__("stale answer")
        self.current = current


class StaleAssessment(SafeguardsError):
    pass


class InvalidAnswer(SafeguardsError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("invalid answer")
        self.errors = errors


class InvalidTransition(SafeguardsError):
    pass


class ReviewerNotStaff(SafeguardsError):
    """Only consortium staff can be reviewers."""


class NoReviewer(SafeguardsError):
    """Nobody would review the assessment: its pilot has no reviewer yet."""


# Pilots ----------------------------------------------------------------------------


def create_pilot(system: DpiSystem, country: str, title: str, *, lead=None, by=None) -> Pilot:
    pilot = Pilot(system_id=system.id, country=country, title=title)
    db.session.add(pilot)
    db.session.flush()
    if lead is not None:
        add_member(pilot, lead, TeamRole.LEAD, by=by)
    state_changed.send(pilot, action="safeguards.pilot_created", by=by, summary=title)
    return pilot


def add_member(pilot: Pilot, user, role: TeamRole, *, by=None) -> PilotMember:
    """Add someone to the team (lead or contributor) or as a reviewer; reviewers must be staff."""
    if role is TeamRole.REVIEWER and not user.is_staff:
        raise ReviewerNotStaff(user.id)
    member = next((m for m in pilot.members if m.user_id == user.id), None)
    if member is None:
        try:
            # one row per person: of two requests adding the same person at once, the second updates it
            with db.session.begin_nested():
                member = PilotMember(pilot=pilot, user_id=user.id, role=role)
                db.session.add(member)
        except sa.exc.IntegrityError:
            db.session.expire(pilot, ["members"])
            member = next(m for m in pilot.members if m.user_id == user.id)
    member.role = role
    db.session.flush()
    state_changed.send(pilot, action="safeguards.member_added", by=by, summary=f"{user.email} ({role.value})")
    return member


def remove_member(member: PilotMember, *, by=None) -> None:
    pilot = member.pilot
    db.session.delete(member)
    db.session.flush()
    state_changed.send(pilot, action="safeguards.member_removed", by=by, summary=str(member.user_id))


# Assessments -----------------------------------------------------------------------------------


def start_assessment(pilot: Pilot, *, by=None) -> Assessment:
    """A new cycle on the latest framework version, copied from the pilot's last cycle when there is one."""
    framework = fw.latest()
    if framework is None:
        raise SafeguardsError("no framework is loaded; run flask safeguards load-framework")
    previous = db.session.scalar(
        sa.select(Assessment)
        .where(Assessment.pilot_id == pilot.id)
        .order_by(Assessment.cycle.desc())
        .limit(1)
    )
    if previous is not None and not previous.is_final:
        raise InvalidTransition("the last cycle is still open")
    assessment = Assessment(
        pilot_id=pilot.id,
        cycle=(previous.cycle + 1) if previous else 1,
        framework_id=framework.id,
        authorities=list(previous.authorities) if previous else [],
        stages=list(previous.stages) if previous else [],
        copied_from_id=previous.id if previous else None,
    )
    try:
        # one row per pilot and cycle: of two people starting the next cycle at once, the second is told
        with db.session.begin_nested():
            db.session.add(assessment)
    except sa.exc.IntegrityError:
        raise InvalidTransition("the cycle was started meanwhile") from None
    idx = fw.index(framework.id)
    earlier: dict[str, Answer] = {}
    if previous is not None:
        earlier = {
            a.process.code: a
            for a in db.session.scalars(
                sa.select(Answer)
                .where(Answer.assessment_id == previous.id)
                .options(joinedload(Answer.process))
            )
        }
    rows = []
    for process in idx.processes:
        old = earlier.get(process.code)
        values = {field: getattr(old, field) for field in TEAM_FIELDS} if old else {}
        rows.append(Answer(assessment_id=assessment.id, process_id=process.id, **values))
    db.session.add_all(rows)
    db.session.flush()
    state_changed.send(
        assessment,
        action="safeguards.assessment_started",
        by=by,
        summary=f"{pilot.title}, cycle {assessment.cycle}",
        copied_from=previous.id if previous else None,
    )
    return assessment


def lock_team_editable(assessment_id: int) -> Assessment:
    """Lock the assessment for a change by its team; raises ``AssessmentLocked`` once it was submitted.

    Submission takes the same lock (``workflow.submit``), so a change racing it either commits first
    or waits and is refused: nothing changes after the reviewers got it.
    """
    assessment = transaction.lock(Assessment, assessment_id)
    if not assessment.is_team_editable:
        raise AssessmentLocked(assessment.state)
    return assessment


def set_scope(
    assessment: Assessment, authorities: list[str], stages: list[str], *, expected_version: int, by=None
):
    assessment = lock_team_editable(assessment.id)
    if assessment.version != expected_version:
        raise StaleAssessment()
    assessment.authorities = sorted(set(authorities))
    assessment.stages = sorted(set(stages))
    db.session.flush()
    state_changed.send(
        assessment,
        action="safeguards.scope_set",
        by=by,
        summary=", ".join(assessment.authorities + assessment.stages),
    )


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Item:
    answer: Answer
    process: fw.ProcessInfo
    reason: fw.ScopeReason | None

    @property
    def in_scope(self) -> bool:
        return self.reason is not None


def items(assessment: Assessment, idx: fw.FrameworkIndex, *, with_users: bool = False) -> list[Item]:
    """Every answer of the assessment with its process and why it is in scope (None when it is not).

    None once the assessment is withdrawn: its pages, exports and API keep the record of the
    withdrawal, and no longer show the results that were taken back.
    """
    if assessment.state is AssessmentState.WITHDRAWN:
        return []
    query = sa.select(Answer).where(Answer.assessment_id == assessment.id)
    if with_users:
        # "Last saved by": the names of the few people who saved, looked up by id. Joined, PostgreSQL hashed
        # the whole users table on every wizard step (2 ms at 4,000 people, growing with them).
        query = query.options(selectinload(Answer.updated_by).load_only(User.id, User.name))
    answers = {a.process_id: a for a in db.session.scalars(query)}
    result = []
    for process in idx.processes:
        answer = answers.get(process.id)
        if answer is None:
            continue
        result.append(
            Item(answer, process, fw.scope_reason(process, assessment.authorities, assessment.stages))
        )
    return result


def scoring_items(items_: list[Item]) -> list[scoring.Item]:
    return [
        scoring.Item(
            principle=item.process.principle,
            status=item.answer.status.value,
            rating=item.answer.rating,
            reviewed_rating=item.answer.reviewed_rating,
            risks=tuple(item.process.risks),
            process=item.process.code,
        )
        for item in items_
        if item.in_scope
    ]


def scores(idx: fw.FrameworkIndex, items_: list[Item]) -> tuple[scoring.Scores, scoring.Scores]:
    return scoring.self_and_reviewed(scoring_items(items_), idx.principle_codes, idx.risk_codes)


def pilots_for(user) -> list[Pilot]:
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            sa.select(Pilot)
            .join(PilotMember)
            .where(PilotMember.user_id == user.id)
            .options(selectinload(Pilot.assessments), joinedload(Pilot.system))
            .order_by(Pilot.title)
        ).unique()
    )


# Serialising (API and open data) -------------------------------------------------------------------

OPEN_DATA_LICENCE = "CC BY 4.0"


def assessment_summary(assessment: Assessment) -> dict:
    return {
        "id": assessment.id,
        "pilot": assessment.pilot.title,
        "system": assessment.pilot.system.name,
        "country": assessment.pilot.country,
        "cycle": assessment.cycle,
        "framework_version": assessment.framework.version,
        "state": assessment.state.value,
        "authorities": assessment.authorities,
        "stages": assessment.stages,
        "version": assessment.version,
        "published_at": assessment.published_at,
        "licence": OPEN_DATA_LICENCE if assessment.state in PUBLIC else None,
        "withdrawn_at": assessment.withdrawn_at,
        "withdrawal_reason": assessment.withdrawal_reason,
    }


def answer_data(item: Item) -> dict:
    answer = item.answer
    return {
        "process": item.process.code,
        "principle": item.process.principle,
        "in_scope": item.in_scope,
        "status": answer.status.value,
        "rating": answer.rating,
        "justification": answer.justification,
        "evidence": answer.evidence,
        "links": answer.links,
        "confidence": answer.confidence,
        "reviewed_rating": answer.reviewed_rating,
        "reviewer_comment": answer.reviewer_comment,
        "version": answer.version,
        "updated_at": answer.updated_at,
    }


def score_data(result: scoring.Scores) -> dict:
    return {
        "overall": result.overall,
        "foundational": result.foundational,
        "operational": result.operational,
        "level": result.level,
        "red_flag": result.red_flag,
        "principles": result.principles,
        "risks": result.risks,
    }
