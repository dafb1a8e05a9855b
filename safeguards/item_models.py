"""Tables around one item of an assessment: its conversation, the saved versions of its answer, the
submissions that cut those versions into rounds, and its evidence files."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, db, enum_column, utcnow
from consortium.i18n import LabelledEnum
from consortium.i18n import lazy_gettext as _l
from consortium.storage import StoredFile
from safeguards.models import Answer, AnswerStatus


class Side(LabelledEnum):
    """Who speaks in a thread: the pilot team or its reviewers."""

    TEAM = "team"
    REVIEWERS = "reviewers"

    __labels__ = {"team": _l("Team"), "reviewers": _l("Reviewers")}


class MessageKind(LabelledEnum):
    COMMENT = "comment"
    RESOLVED = "resolved"
    REOPENED = "reopened"

    __labels__ = {"comment": _l("Comment"), "resolved": _l("Resolved"), "reopened": _l("Reopened")}


class ItemThread(Timestamped, db.Model):
    """The conversation about one item (one answer), started by its first message."""

    __tablename__ = "safeguards_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_answers.id", ondelete="CASCADE"), unique=True
    )
    # the assessment too, so counts and work queues need no join through the answers
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_assessments.id", ondelete="CASCADE"), index=True
    )
    is_resolved: Mapped[bool] = mapped_column(default=False)
    #: who wrote last: the other side is the one a reply is awaited from
    last_side: Mapped[Side] = mapped_column(enum_column(Side))
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()
    messages: Mapped[list[ThreadMessage]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="ThreadMessage.id"
    )

    @property
    def is_open(self) -> bool:
        return not self.is_resolved


class ThreadMessage(db.Model):
    __tablename__ = "safeguards_thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind), default=MessageKind.COMMENT)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: a reviewer's suggested rating, given with the review
    rating: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when a decision's digest e-mail carried it to the other side (None: not yet)
    notified_at: Mapped[datetime | None]

    thread: Mapped[ItemThread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()  # noqa: F821


class Submission(db.Model):
    """One hand-over to the reviewers; it closes the answer versions saved before it (a round)."""

    __tablename__ = "safeguards_submissions"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_assessments.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    submitted_by: Mapped[User | None] = relationship()  # noqa: F821


class AnswerVersion(db.Model):
    """One saved version of an answer: one author's saves within a few minutes, never across a submission.

    ``saves == 0`` marks the state the answer had before its history began (copied from the previous
    cycle, or saved before versions were kept).
    """

    __tablename__ = "safeguards_answer_versions"
    __audit__ = {"skip": True}  # the answers themselves are audited; this is their history
    __table_args__ = (sa.UniqueConstraint("answer_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_answers.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saves: Mapped[int] = mapped_column(default=1)
    #: the submission that closed this version; None while the team may still add to it
    submission_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("safeguards_submissions.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[AnswerStatus] = mapped_column(enum_column(AnswerStatus))
    rating: Mapped[int | None]
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    links: Mapped[str] = mapped_column(sa.Text, default="")
    confidence: Mapped[str] = mapped_column(sa.String(500), default="")

    author: Mapped[User | None] = relationship()  # noqa: F821
    submission: Mapped[Submission | None] = relationship()


class EvidenceFile(db.Model):
    """A document the team attached to an item; its bytes are a ``StoredFile`` (consortium.storage)."""

    __tablename__ = "safeguards_evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_answers.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_assessments.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), unique=True)
    #: the team's proposal, then the publisher's choice: whether everyone may read it once published
    is_public: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()
    file: Mapped[StoredFile] = relationship()
    uploaded_by: Mapped[User | None] = relationship()  # noqa: F821
