"""The conversation per item: reviewers' comments and suggested ratings, the team's replies, resolved or open.

A thread starts with its first message. Writing takes the assessment's row lock and checks its state
inside it: once approved, threads are closed; of two first messages at once, the second waits and
joins the thread the first made. Nobody is mailed per message: each decision's e-mail carries the
messages the other side has not been told about yet (``digest``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from consortium import text, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.worklist import WorkItem, counting
from safeguards.item_models import ItemThread, MessageKind, Side, ThreadMessage
from safeguards.models import FINAL, TEAM_EDITABLE, Answer, Assessment, AssessmentState, PilotMember, TeamRole
from safeguards.services import AssessmentLocked, SafeguardsError

MAX_MESSAGE = 5000


class InvalidMessage(SafeguardsError):
    def __init__(self, error):
        super().__init__("invalid message")
        self.error = error


def message_problem(body: str) -> str | None:
    if not body:
        return _l("Write a message first.")
    if len(body) > MAX_MESSAGE:
        return _l("Keep this under %(n)s characters.", n=MAX_MESSAGE)
    if not text.is_plain_text(body):
        return text.TEXT_ERROR
    return None


def _open_for_writing(assessment_id: int) -> Assessment:
    assessment = transaction.lock(Assessment, assessment_id)
    if assessment.state in FINAL:
        raise AssessmentLocked(assessment.state)
    return assessment


def _saved_thread(answer: Answer) -> ItemThread | None:
    """The thread as saved now, inside the lock."""
    query = sa.select(ItemThread).where(ItemThread.answer_id == answer.id)
    return db.session.scalar(query.execution_options(populate_existing=True))


def _thread_of(answer: Answer, side: Side) -> ItemThread:
    thread = _saved_thread(answer)
    if thread is None:
        thread = ItemThread(answer_id=answer.id, assessment_id=answer.assessment_id, last_side=side)
        db.session.add(thread)
        db.session.flush()
    return thread


def _add(thread: ItemThread, kind: MessageKind, *, by, side: Side, body="", rating=None) -> ThreadMessage:
    now = utcnow()
    message = ThreadMessage(
        thread=thread, author_id=getattr(by, "id", None), side=side, kind=kind, body=body, rating=rating
    )
    message.created_at = now
    thread.last_message_at = now
    if kind is MessageKind.COMMENT:
        thread.last_side = side
    db.session.add(message)
    db.session.flush()
    return message


def post(answer: Answer, body: str, *, by, side: Side, rating: int | None = None) -> ThreadMessage:
    """Add a comment to the item's thread; a comment opens the thread again if it was resolved.

    Called inside a view's action; the review page calls it for each comment typed with the review
    (the assessment is locked already: the lock is taken again harmlessly).
    """
    body = (body or "").replace("\r\n", "\n").strip()
    problem = message_problem(body) if body or rating is None else None  # a rating may come alone
    if problem:
        raise InvalidMessage(problem)
    _open_for_writing(answer.assessment_id)
    thread = _thread_of(answer, side)
    thread.is_resolved = False
    return _add(thread, MessageKind.COMMENT, by=by, side=side, body=body, rating=rating)


def set_resolved(answer: Answer, resolved: bool, *, by, side: Side) -> bool:
    """Mark the thread resolved or open again; False when it already was (a resent form)."""
    _open_for_writing(answer.assessment_id)
    thread = _saved_thread(answer)
    if thread is None or thread.is_resolved == resolved:
        return False
    thread.is_resolved = resolved
    _add(thread, MessageKind.RESOLVED if resolved else MessageKind.REOPENED, by=by, side=side)
    return True


# Reading -------------------------------------------------------------------------------------------


def of_assessment(assessment: Assessment) -> dict[int, ItemThread]:
    """Every thread of the assessment with its messages and their authors, by answer id (two queries)."""
    rows = db.session.scalars(
        sa.select(ItemThread)
        .where(ItemThread.assessment_id == assessment.id)
        .options(selectinload(ItemThread.messages).joinedload(ThreadMessage.author))
    )
    return {thread.answer_id: thread for thread in rows}


def of_answer(answer: Answer) -> ItemThread | None:
    return db.session.scalar(
        sa.select(ItemThread)
        .where(ItemThread.answer_id == answer.id)
        .options(selectinload(ItemThread.messages).joinedload(ThreadMessage.author))
    )


def open_count(assessment: Assessment) -> int:
    """Open threads of the assessment (for the submission summary)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ItemThread)
        .where(ItemThread.assessment_id == assessment.id, ItemThread.is_resolved.is_(False))
    )


def _awaiting_query(user):
    """Open threads whose last word came from the other side of ``user``, where a reply can still help."""
    roles = sa.select(PilotMember.pilot_id, PilotMember.role).where(PilotMember.user_id == user.id).subquery()
    team = sa.and_(
        roles.c.role.in_([TeamRole.LEAD, TeamRole.CONTRIBUTOR]),
        ItemThread.last_side == Side.REVIEWERS,
        Assessment.state.in_(TEAM_EDITABLE),
    )
    reviewers = sa.and_(
        roles.c.role == TeamRole.REVIEWER,
        ItemThread.last_side == Side.TEAM,
        Assessment.state.in_([*TEAM_EDITABLE, AssessmentState.SUBMITTED]),
    )
    return (
        sa.select(ItemThread)
        .join(Assessment, Assessment.id == ItemThread.assessment_id)
        .join(roles, roles.c.pilot_id == Assessment.pilot_id)
        .where(ItemThread.is_resolved.is_(False), sa.or_(team, reviewers))
    )


def awaiting_reply(user) -> list[ItemThread]:
    """The threads waiting for ``user``'s reply, oldest last word first, with their item and assessment."""
    query = (
        _awaiting_query(user)
        .options(
            joinedload(ItemThread.answer).joinedload(Answer.process),
            joinedload(ItemThread.answer).joinedload(Answer.assessment).joinedload(Assessment.pilot),
        )
        .order_by(ItemThread.last_message_at)
    )
    return list(db.session.scalars(query).unique())


def worklist(user) -> list[WorkItem]:
    """The kernel work list's provider: how many threads wait for this person's reply."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        WorkItem(
            label=_("Threads awaiting your reply"),
            count=counting(_awaiting_query(user)),
            url=url_for("safeguards.awaiting"),
            area=_("Safeguards"),
        )
    ]
