"""What people do with assessments. Services flush and never commit; they raise domain errors and signal."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consortium import text, transaction
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed
from safeguards import framework as fw
from safeguards import scoring
from safeguards.models import (
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentState,
    DpiSystem,
    Pilot,
    PilotMember,
    TeamRole,
)

TEAM_FIELDS = ("status", "rating", "justification", "evidence", "links", "confidence")
MAX_TEXT = 5000


class SafeguardsError(Exception):
    pass


class AssessmentLocked(SafeguardsError):
    """The assessment is not in a state that allows this change."""

    def __init__(self, state: AssessmentState):
        super().__init__(state.value)
        self.state = state


class SystemExists(SafeguardsError):
    """Another DPI system already uses this short name."""


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


# Systems and pilots ----------------------------------------------------------------------------


def create_system(
    *, slug: str, name: str, countries: list[str], kind, operator: str, description: str = ""
) -> DpiSystem:
    system = DpiSystem(
        slug=slug, name=name, countries=countries, kind=kind, operator=operator, description=description
    )
    try:
        # the unique short name decides, also between two people adding the same system at once
        with db.session.begin_nested():
            db.session.add(system)
    except sa.exc.IntegrityError:
        raise SystemExists(slug) from None
    return system


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


def parse_choice(choice: str) -> tuple[AnswerStatus, int | None]:
    if choice in ("0", "1", "2", "3", "4"):
        return AnswerStatus.RATED, int(choice)
    if choice in (AnswerStatus.NOT_APPLICABLE.value, AnswerStatus.UNKNOWN.value):
        return AnswerStatus(choice), None
    return AnswerStatus.UNANSWERED, None


@dataclass
class AnswerInput:
    status: AnswerStatus
    rating: int | None = None
    justification: str = ""
    evidence: str = ""
    links: str = ""
    confidence: str = ""

    @classmethod
    def from_choice(cls, choice: str, **texts) -> AnswerInput:
        status, rating = parse_choice(choice or "")
        clean = {k: (v or "").replace("\r\n", "\n").strip() for k, v in texts.items()}
        return cls(status, rating, **clean)

    def same_as(self, answer: Answer) -> bool:
        return all(getattr(self, field) == getattr(answer, field) for field in TEAM_FIELDS)


def answer_problems(data: AnswerInput) -> dict[str, str]:
    """Why an answer cannot be saved, by field (translated lazily)."""
    errors: dict[str, str] = {}
    if data.status is AnswerStatus.RATED and data.rating not in (0, 1, 2, 3, 4):
        errors["rating"] = _l("Choose a rating from 0 to 4.")
    if data.status is AnswerStatus.NOT_APPLICABLE and not data.justification:
        errors["justification"] = _l("Say why this process does not apply.")
    if data.status is AnswerStatus.RATED and (data.rating or 0) >= 3:
        if not data.evidence:
            errors["evidence"] = _l("Ratings 3 and 4 need evidence: describe what shows it.")
        if not data.links:
            errors["links"] = _l("Ratings 3 and 4 need at least one link to the evidence.")
    wrong_link = next((link for link in text.links_in(data.links) if not text.is_link(link)), None)
    if wrong_link is not None:
        errors["links"] = text.LINKS_ERROR % {"link": wrong_link[:80]}
    for field in ("justification", "evidence", "links"):
        if not text.is_plain_text(getattr(data, field)):
            errors[field] = text.TEXT_ERROR
        if len(getattr(data, field)) > MAX_TEXT:
            errors[field] = _l("Keep this under %(n)s characters.", n=MAX_TEXT)
    if not text.is_single_line(data.confidence):
        errors["confidence"] = text.LINE_ERROR
    if len(data.confidence) > 500:
        errors["confidence"] = _l("Keep this under %(n)s characters.", n=500)
    return errors


def save_answer(answer: Answer, data: AnswerInput, *, expected_version: int | None, by=None) -> bool:
    """Save the team's answer; returns False when nothing changed (a resend of what is already saved)."""
    lock_team_editable(answer.assessment_id)
    db.session.refresh(answer)  # as saved now, inside the lock: a teammate may have saved it meanwhile
    if data.same_as(answer):
        return False
    if expected_version is not None and expected_version != answer.version:
        raise StaleAnswer(answer)
    errors = answer_problems(data)
    if errors:
        raise InvalidAnswer(errors)
    for field in TEAM_FIELDS:
        setattr(answer, field, getattr(data, field))
    if data.status is not AnswerStatus.RATED:
        answer.rating = None
    answer.updated_by_id = getattr(by, "id", None)
    db.session.flush()
    return True


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Item:
    answer: Answer
    process: fw.ProcessInfo
    reason: fw.ScopeReason | None

    @property
    def in_scope(self) -> bool:
        return self.reason is not None


def load_assessment(assessment_id: int) -> Assessment | None:
    return db.session.scalar(
        sa.select(Assessment)
        .where(Assessment.id == assessment_id)
        .options(
            joinedload(Assessment.pilot).joinedload(Pilot.system),
            joinedload(Assessment.pilot).selectinload(Pilot.members).joinedload(PilotMember.user),
        )
    )


def items(assessment: Assessment, idx: fw.FrameworkIndex, *, with_users: bool = False) -> list[Item]:
    """Every answer of the assessment with its process and why it is in scope (None when it is not)."""
    query = sa.select(Answer).where(Answer.assessment_id == assessment.id)
    if with_users:
        query = query.options(joinedload(Answer.updated_by))
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
        "licence": OPEN_DATA_LICENCE if assessment.state is AssessmentState.PUBLISHED else None,
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


def fingerprint(source) -> str:
    """A short hash of an answer's team fields: tells the wizard which items a person actually changed."""
    values = [
        source.status.value,
        source.rating,
        *(getattr(source, f) for f in ("justification", "evidence", "links", "confidence")),
    ]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]
