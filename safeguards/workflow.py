"""An assessment's workflow: submission, review and decisions, publication and withdrawal.

Every step locks the assessment row (``transaction.lock``) and checks its state inside the lock, as
the team's saves do (``answers.save_answer``): of two requests that race (a save and the submission,
two reviewers deciding), the second waits for the first and then sees what it did. Functions flush
and raise domain errors; the view's ``transaction.action()`` commits or rolls back all of it.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed
from safeguards import digest, evidence, history, threads
from safeguards.answers import MAX_TEXT
from safeguards.item_models import Side
from safeguards.models import TEAM_EDITABLE, Answer, Assessment, AssessmentState
from safeguards.services import AssessmentLocked, InvalidTransition, NoReviewer, SafeguardsError

SUBJECTS = {
    "submitted": _l("An assessment was submitted for your review"),
    "changes_requested": _l("Reviewers asked for changes to your assessment"),
    "approved": _l("Your assessment was approved"),
    "published": _l("Your assessment was published"),
    "withdrawn": _l("Your assessment was withdrawn from publication"),
}
RATINGS = (0, 1, 2, 3, 4)
MAX_REASON = 2000


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"


@dataclass(frozen=True)
class ReviewInput:
    """What the reviewer's page says about one item, and the item version the page showed."""

    answer_id: int
    reviewed_rating: int | None
    comment: str
    expected_version: int


@dataclass(frozen=True)
class SavedReview:
    version: int
    reviewed_rating: int | None
    comment: str


class InvalidReview(SafeguardsError):
    """Some values cannot be saved: errors by answer id and field, and for the note."""

    def __init__(self, items: dict[int, dict[str, str]], note: str | None = None):
        super().__init__("invalid review")
        self.items = items
        self.note = note


class PreviewOutdated(SafeguardsError):
    """Items changed after the preview the decision was taken on: it no longer shows what is final."""


class InvalidWithdrawal(SafeguardsError):
    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = message


class StaleReview(SafeguardsError):
    """Someone saved these items after the versions the page showed: what is saved now, by answer id."""

    def __init__(self, current: dict[int, SavedReview]):
        super().__init__("stale review")
        self.current = current


def _lock(assessment: Assessment) -> Assessment:
    return transaction.lock(Assessment, assessment.id)


def _transition(assessment: Assessment, to: AssessmentState, *, by, note: str = "") -> None:
    """Move a locked assessment whose state was checked to ``to``; record it and tell the people concerned."""
    before = assessment.state
    assessment.state = to
    assessment.state_changed_at = utcnow()
    db.session.flush()
    state_changed.send(
        assessment,
        action=f"safeguards.assessment_{to.value}",
        by=by,
        summary=f"{assessment.pilot.title}, cycle {assessment.cycle}: {before.value} → {to.value}",
        note=note,
    )
    to_reviewers = to is AssessmentState.SUBMITTED
    recipients = assessment.pilot.reviewers if to_reviewers else assessment.pilot.team
    url = public_url("safeguards.assessment", assessment_id=assessment.id)
    summary = digest.for_decision(assessment, Side.REVIEWERS if to_reviewers else Side.TEAM)
    for member in recipients:
        user = member.user
        if by is not None and user.id == by.id:
            continue
        queue_email(
            user.email,
            "safeguards_state_changed",
            SUBJECTS[to.value],
            to_name=user.name,
            locale=user.locale,
            assessment=assessment,
            state=to.value,
            note=note,
            url=url,
            digest=summary,
        )


def submit(assessment: Assessment, *, by=None) -> None:
    """Hand the team's answers to the reviewers; from now on they cannot change."""
    assessment = _lock(assessment)
    if assessment.state not in TEAM_EDITABLE:
        raise AssessmentLocked(assessment.state)
    if not assessment.has_scope:
        raise InvalidTransition("no scope")
    if not assessment.pilot.reviewers:
        raise NoReviewer(assessment.pilot_id)
    assessment.submitted_at = utcnow()
    history.cut(assessment, by=by)
    _transition(assessment, AssessmentState.SUBMITTED, by=by)


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def review_problems(reviewed_rating: int | None, comment: str) -> dict[str, str]:
    errors = {}
    if reviewed_rating is not None and reviewed_rating not in RATINGS:
        errors["reviewed_rating"] = _l("Choose a rating from 0 to 4.")
    if len(comment) > MAX_TEXT:
        errors["reviewer_comment"] = _l("Keep this under %(n)s characters.", n=MAX_TEXT)
    return errors


def review(
    assessment: Assessment,
    changes: list[ReviewInput],
    *,
    decision: Decision | None = None,
    note: str = "",
    by=None,
) -> int:
    """Save the reviewer's ratings and comments and, when asked, send it back to the team: all or nothing.

    Approval is ``approve()``, taken on the preview of what becomes final.

    Each new comment and changed rating becomes a reviewers' message in the item's thread (the thread
    is where comments live; ``Answer.reviewer_comment`` keeps the latest for the report and open data).
    Items whose values are already saved are left alone (a resend is no conflict). Raises
    ``InvalidReview`` when any value cannot be saved, ``StaleReview`` when someone saved a changed item
    after the page showed it, ``AssessmentLocked`` once the assessment is no longer under review (for
    instance another reviewer decided first). Returns how many items changed.
    """
    if decision is Decision.APPROVE:
        raise ValueError("an approval is taken by approve(), on the preview of what becomes final")
    assessment = _lock(assessment)
    if assessment.state is not AssessmentState.SUBMITTED:
        raise AssessmentLocked(assessment.state)
    saved = {
        answer.id: answer
        for answer in db.session.scalars(
            sa.select(Answer)
            .where(Answer.assessment_id == assessment.id)
            .execution_options(populate_existing=True)  # as saved now, inside the lock
        )
    }
    problems: dict[int, dict[str, str]] = {}
    conflicts: dict[int, SavedReview] = {}
    changed: list[tuple[Answer, int | None, str, bool]] = []
    for change in changes:
        answer = saved[change.answer_id]
        comment = _clean(change.comment)
        rating_changed = answer.reviewed_rating != change.reviewed_rating
        # the comment box starts empty: a comment is new text for the item's thread (a resend is not)
        new_comment = bool(comment) and comment != answer.reviewer_comment
        if not (rating_changed or new_comment):
            continue
        errors = review_problems(change.reviewed_rating, comment)
        if errors:
            problems[answer.id] = errors
        elif change.expected_version != answer.version:
            conflicts[answer.id] = SavedReview(
                answer.version, answer.reviewed_rating, answer.reviewer_comment
            )
        else:
            changed.append((answer, change.reviewed_rating, comment if new_comment else "", rating_changed))
    note = _clean(note)
    note_problem = None
    if len(note) > MAX_TEXT:
        note_problem = _l("Keep this under %(n)s characters.", n=MAX_TEXT)
    elif decision is Decision.REQUEST_CHANGES and not note:
        note_problem = _l("Tell the team what to change.")
    if problems or note_problem:
        raise InvalidReview(problems, note_problem)
    if conflicts:
        raise StaleReview(conflicts)
    for answer, reviewed_rating, comment, rating_changed in changed:
        answer.reviewed_rating = reviewed_rating
        if comment:
            answer.reviewer_comment = comment  # the latest, for the report and the open data
        suggested = reviewed_rating if rating_changed else None
        if comment or suggested is not None:
            threads.post(answer, comment, by=by, side=Side.REVIEWERS, rating=suggested)
    db.session.flush()
    if decision is Decision.REQUEST_CHANGES:
        assessment.review_note = note
        _transition(assessment, AssessmentState.CHANGES_REQUESTED, by=by, note=note)
    return len(changed)


def preview_key(assessment: Assessment) -> str:
    """A fingerprint of what a decision would make final: the scope and every item's saved version.

    The approval page carries it, so an approval is taken on exactly what the reviewer saw.
    """
    versions = db.session.execute(
        sa.select(Answer.id, Answer.version).where(Answer.assessment_id == assessment.id).order_by(Answer.id)
    ).all()
    raw = repr((assessment.version, [tuple(row) for row in versions]))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def approve(assessment: Assessment, *, note: str = "", seen: str, by=None) -> None:
    """Approve the assessment as previewed (``seen`` is the page's ``preview_key``); it can no longer change.

    Raises ``AssessmentLocked`` once another reviewer decided, ``PreviewOutdated`` when items changed
    after the preview, ``InvalidReview`` for a note that is too long.
    """
    assessment = _lock(assessment)
    if assessment.state is not AssessmentState.SUBMITTED:
        raise AssessmentLocked(assessment.state)
    note = _clean(note)
    if len(note) > MAX_TEXT:
        raise InvalidReview({}, _l("Keep this under %(n)s characters.", n=MAX_TEXT))
    if seen != preview_key(assessment):
        raise PreviewOutdated()
    assessment.review_note = note
    assessment.approved_at = utcnow()
    _transition(assessment, AssessmentState.APPROVED, by=by, note=note)


def publish(assessment: Assessment, *, public_files: Collection[int], by=None) -> None:
    """Publish an approved assessment; of its evidence files exactly ``public_files`` become public."""
    assessment = _lock(assessment)
    if assessment.state is not AssessmentState.APPROVED:
        raise InvalidTransition(f"{assessment.state.value} → published")
    evidence.choose_public(assessment, set(public_files))
    assessment.published_at = utcnow()
    _transition(assessment, AssessmentState.PUBLISHED, by=by)


def withdraw(assessment: Assessment, *, reason: str, by=None) -> None:
    """Take a published assessment out of publication, with a public reason that stays on record.

    Raises ``AssessmentLocked`` when it is not published (withdrawn meanwhile, or never published)
    and ``InvalidWithdrawal`` without a reason.
    """
    assessment = _lock(assessment)
    if assessment.state is not AssessmentState.PUBLISHED:
        raise AssessmentLocked(assessment.state)
    reason = _clean(reason)
    if not reason:
        raise InvalidWithdrawal(_l("Say why the assessment is withdrawn: the reason is shown publicly."))
    if len(reason) > MAX_REASON:
        raise InvalidWithdrawal(_l("Keep this under %(n)s characters.", n=MAX_REASON))
    assessment.withdrawn_at = utcnow()
    assessment.withdrawal_reason = reason
    _transition(assessment, AssessmentState.WITHDRAWN, by=by, note=reason)
