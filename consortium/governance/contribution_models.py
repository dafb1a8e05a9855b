"""What people send to a consultation and what the institutions answer: contributions (with their
supports and co-signatures) and official responses, each covering one contribution or a group."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.governance.models import Consultation, Section
from consortium.i18n import LabelledEnum
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation
from consortium.users.models import User


class Disposition(LabelledEnum):
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    UNDER_EVALUATION = "under_evaluation"
    NOT_ACCEPTED = "not_accepted"
    OUT_OF_SCOPE = "out_of_scope"
    REFERRED = "referred"

    __labels__ = {
        "accepted": _l("Accepted"),
        "partially_accepted": _l("Partially accepted"),
        "under_evaluation": _l("Under evaluation"),
        "not_accepted": _l("Not accepted"),
        "out_of_scope": _l("Out of scope"),
        "referred": _l("Referred to another body"),
    }


class ContributionKind(LabelledEnum):
    COMMENT = "comment"
    PROPOSAL = "proposal"
    OBJECTION = "objection"
    EVIDENCE = "evidence"

    __labels__ = {
        "comment": _l("Comment"),
        "proposal": _l("Proposal"),
        "objection": _l("Objection"),
        "evidence": _l("Evidence"),
    }


class Visibility(LabelledEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    HIDDEN = "hidden"

    __labels__ = {
        "pending": _l("Waiting for moderation"),
        "published": _l("Published"),
        "hidden": _l("Hidden by a moderator"),
    }


class Contribution(db.Model):
    __tablename__ = "governance_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_consultations.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("governance_sections.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[ContributionKind] = mapped_column(
        enum_column(ContributionKind), default=ContributionKind.COMMENT, server_default="comment"
    )
    #: the language it is written in (es, pt_BR or en)
    language: Mapped[str] = mapped_column(sa.String(8), default="es", server_default="es")
    #: evidence may point to its source
    link: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    revision: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # moderation: hidden and pending ones are kept (the audit log names who moved them and why)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PUBLISHED, server_default="published", index=True
    )
    moderation_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    cosignatures: Mapped[list[Cosignature]] = relationship(
        order_by="Cosignature.id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.visibility is Visibility.PUBLISHED

    @classmethod
    def published_clause(cls) -> sa.ColumnElement[bool]:
        """The SQL condition for contributions everyone sees: only these count for responses and debt."""
        return cls.visibility == Visibility.PUBLISHED


class Support(db.Model):
    """One person's support of a contribution: the unique pair makes a double click one row."""

    __tablename__ = "governance_supports"
    __table_args__ = (sa.UniqueConstraint("contribution_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_contributions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Cosignature(db.Model):
    """Another verified organisation signing a contribution, once per organisation."""

    __tablename__ = "governance_cosignatures"
    __table_args__ = (sa.UniqueConstraint("contribution_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_contributions.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    #: who signed for the organisation
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


#: Which contributions an official response covers: one, or a group of similar ones; each at most once.
response_contributions = sa.Table(
    "governance_response_contributions",
    db.metadata,
    sa.Column("response_id", sa.ForeignKey("governance_responses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "contribution_id",
        sa.ForeignKey("governance_contributions.id", ondelete="CASCADE"),
        primary_key=True,
        unique=True,
    ),
)


class Response(Timestamped, Versioned, db.Model):
    """An official response: drafted by someone who answers for the space (a focal point, a government or
    regulator seat, a convenor), approved by a second such person, public once the consultation publishes
    its responses."""

    __tablename__ = "governance_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_consultations.id", ondelete="CASCADE"), index=True
    )
    disposition: Mapped[Disposition] = mapped_column(enum_column(Disposition))
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    #: what the institution commits to do, and optionally where that is followed (a roadmap action's URL)
    commitment: Mapped[str] = mapped_column(sa.Text, default="")
    commitment_link: Mapped[str] = mapped_column(sa.String(500), default="")
    drafted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: the institution answering: the drafter's seat organisation
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    organisation: Mapped[Organisation | None] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(
        secondary=response_contributions, order_by=Contribution.id
    )

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
