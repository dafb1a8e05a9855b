"""The team's answers: reading a choice, checking an answer, saving it under the assessment's lock."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from consortium import text
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from safeguards.models import TEAM_FIELDS, Answer, AnswerStatus
from safeguards.services import InvalidAnswer, StaleAnswer, lock_team_editable

MAX_TEXT = 5000
MAX_CONFIDENCE = 500


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
    if len(data.confidence) > MAX_CONFIDENCE:
        errors["confidence"] = _l("Keep this under %(n)s characters.", n=MAX_CONFIDENCE)
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


def fingerprint(source) -> str:
    """A short hash of an answer's team fields: tells the wizard which items a person actually changed."""
    values = [
        source.status.value,
        source.rating,
        *(getattr(source, f) for f in ("justification", "evidence", "links", "confidence")),
    ]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]
