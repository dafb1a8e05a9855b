"""Answer history: the saved versions of each answer, the rounds that submissions cut, and what changed.

Autosave saves an item every few seconds while someone types, so one author's saves within
``COALESCE_WINDOW`` of each other make one version (its ``saves`` counts them); another author, a pause
longer than the window, or a submission starts a new one. A submission closes every open version
(``cut``), so a round is exactly what the team changed between two hand-overs. Everything here runs
under the assessment's row lock (the team's saves and the submission both take it), so version
numbers cannot race; the unique (answer, number) constraint backs that up.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consortium.db import db, utcnow
from safeguards.item_models import AnswerVersion, Submission
from safeguards.models import TEAM_FIELDS, Answer, AnswerStatus, Assessment

COALESCE_WINDOW = timedelta(minutes=5)
TEXT_FIELDS = ("justification", "evidence", "links", "confidence")


@dataclass(frozen=True)
class Snapshot:
    """An answer's team fields at one moment, and who saved them when."""

    status: AnswerStatus
    rating: int | None
    justification: str
    evidence: str
    links: str
    confidence: str
    updated_by_id: int | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, source) -> Snapshot:
        return cls(
            *(getattr(source, field) for field in TEAM_FIELDS),
            updated_by_id=getattr(source, "updated_by_id", None),
            updated_at=getattr(source, "updated_at", None),
        )

    @property
    def is_blank(self) -> bool:
        return self.status is AnswerStatus.UNANSWERED and not any(getattr(self, f) for f in TEXT_FIELDS)


BLANK = Snapshot(AnswerStatus.UNANSWERED, None, "", "", "", "")


def _latest(answer_id: int) -> AnswerVersion | None:
    return db.session.scalar(
        sa.select(AnswerVersion)
        .where(AnswerVersion.answer_id == answer_id)
        .order_by(AnswerVersion.number.desc())
        .limit(1)
    )


def _last_submission(assessment_id: int) -> Submission | None:
    return db.session.scalar(
        sa.select(Submission)
        .where(Submission.assessment_id == assessment_id)
        .order_by(Submission.number.desc())
        .limit(1)
    )


def _fill(version: AnswerVersion, source) -> None:
    for field in TEAM_FIELDS:
        setattr(version, field, getattr(source, field))


def record(answer: Answer, before: Snapshot, *, by) -> AnswerVersion:
    """Add the answer's new state to its history; called by ``answers.save_answer`` under the lock."""
    now = utcnow()
    author_id = getattr(by, "id", None)
    latest = _latest(answer.id)
    if latest is None and not before.is_blank:
        # the state it had before history began, so the first change has something to compare with
        submission = _last_submission(answer.assessment_id)
        latest = AnswerVersion(
            answer_id=answer.id,
            number=1,
            author_id=before.updated_by_id,
            created_at=before.updated_at or now,
            saved_at=before.updated_at or now,
            saves=0,
            submission_id=submission.id if submission else None,
        )
        _fill(latest, before)
        db.session.add(latest)
    if (
        latest is not None
        and latest.saves
        and latest.submission_id is None
        and author_id is not None
        and latest.author_id == author_id
        and now - latest.saved_at < COALESCE_WINDOW
    ):
        version = latest
        version.saves += 1
    else:
        version = AnswerVersion(
            answer_id=answer.id,
            number=(latest.number if latest else 0) + 1,
            author_id=author_id,
            created_at=now,
            saves=1,
        )
        db.session.add(version)
    version.saved_at = now
    _fill(version, answer)
    db.session.flush()
    return version


def cut(assessment: Assessment, *, by) -> Submission:
    """Record a submission of the locked assessment and close every open version of its answers."""
    last = _last_submission(assessment.id)
    submission = Submission(
        assessment_id=assessment.id,
        number=(last.number if last else 0) + 1,
        submitted_at=assessment.submitted_at or utcnow(),
        submitted_by_id=getattr(by, "id", None),
    )
    db.session.add(submission)
    db.session.flush()
    answer_ids = sa.select(Answer.id).where(Answer.assessment_id == assessment.id)
    db.session.execute(
        sa.update(AnswerVersion)
        .where(AnswerVersion.submission_id.is_(None), AnswerVersion.answer_id.in_(answer_ids))
        .values(submission_id=submission.id)
        .execution_options(synchronize_session=False)
    )
    return submission


# Reading -------------------------------------------------------------------------------------------


def versions_of(answer: Answer) -> list[AnswerVersion]:
    """Oldest first, with authors and submissions."""
    return list(
        db.session.scalars(
            sa.select(AnswerVersion)
            .where(AnswerVersion.answer_id == answer.id)
            .options(joinedload(AnswerVersion.author), joinedload(AnswerVersion.submission))
            .order_by(AnswerVersion.number)
        )
    )


def submissions_of(assessment: Assessment) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission).where(Submission.assessment_id == assessment.id).order_by(Submission.number)
        )
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object
    #: for text: [(op, words)] with op "same", "removed" or "added"
    words: tuple[tuple[str, str], ...] = ()


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(new[j1:j2])))
    return tuple(parts)


def changes(before, after) -> list[FieldChange]:
    """What differs between two states of an answer (versions, snapshots or the answer itself)."""
    result = []
    old_choice = (before.status, before.rating if before.status is AnswerStatus.RATED else None)
    new_choice = (after.status, after.rating if after.status is AnswerStatus.RATED else None)
    if old_choice != new_choice:
        result.append(FieldChange("choice", old_choice, new_choice))
    for field in TEXT_FIELDS:
        old, new = getattr(before, field) or "", getattr(after, field) or ""
        if old != new:
            result.append(FieldChange(field, old, new, word_diff(old, new)))
    return result


@dataclass(frozen=True)
class RoundChange:
    """An item changed in the current round: its state at the previous submission, and now."""

    base: object
    current: object
    fields: list[FieldChange]
    authors: tuple[str, ...]


def since_last_submission(assessment: Assessment) -> tuple[int | None, dict[int, RoundChange]]:
    """(number of the submission compared with, changes by answer id).

    Under review the round is the last submission's, compared with the one before (None and nothing
    on a first submission); while the team edits, it is the open versions, compared with the last
    submission (None and nothing before the first one).
    """
    if assessment.submitted_at is None:
        return None, {}  # never submitted: no round to compare (and no query)
    submissions = submissions_of(assessment)
    if assessment.is_team_editable:
        round_id, compared = None, submissions[-1] if submissions else None
    else:
        round_id = submissions[-1].id if submissions else None
        compared = submissions[-2] if len(submissions) > 1 else None
    if compared is None:
        return None, {}
    earlier = {s.id for s in submissions if s.number <= compared.number}
    rows = db.session.scalars(
        sa.select(AnswerVersion)
        .join(Answer, Answer.id == AnswerVersion.answer_id)
        .where(Answer.assessment_id == assessment.id)
        .options(joinedload(AnswerVersion.author))
        .order_by(AnswerVersion.answer_id, AnswerVersion.number)
    )
    by_answer: dict[int, list[AnswerVersion]] = {}
    for version in rows:
        by_answer.setdefault(version.answer_id, []).append(version)
    result = {}
    for answer_id, versions in by_answer.items():
        in_round = [v for v in versions if v.submission_id == round_id]
        if not in_round:
            continue
        base = next((v for v in reversed(versions) if v.submission_id in earlier), BLANK)
        fields = changes(base, in_round[-1])
        if fields:
            authors = tuple(dict.fromkeys(v.author.name for v in in_round if v.author))
            result[answer_id] = RoundChange(base, in_round[-1], fields, authors)
    return compared.number, result
