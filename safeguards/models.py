"""Framework reference data (versioned, frozen once loaded), DPI systems, pilots, assessments and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import LabelledEnum, localised
from consortium.i18n import lazy_gettext as _l
from consortium.reference.systems import DpiSystem

# Framework reference data -------------------------------------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    """How version numbers sort: 1.0 < 1.0.1 < 1.1 < 1.10."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


class FrameworkVersion(db.Model):
    """One framework version, loaded from a file or imported by staff. Its processes, links and English texts
    never change once it exists, so results computed against it stay put; missing translations may be filled
    in (``revision`` counts those edits). Imported versions start as drafts: only published ones are offered
    to new assessments and shown to the public."""

    __tablename__ = "safeguards_frameworks"
    __audit__ = {"skip": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[dict[str, Any]]
    licence: Mapped[str] = mapped_column(sa.String(40), default="")
    attribution: Mapped[str] = mapped_column(sa.Text, default="")
    coverage_note: Mapped[dict[str, Any]]
    processes_in_reference: Mapped[int] = mapped_column(default=0)
    estimated_total: Mapped[int] = mapped_column(default=0)
    checksum: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)

    principles: Mapped[list[Principle]] = relationship(
        back_populates="framework", order_by="Principle.position", cascade="all, delete-orphan"
    )

    @property
    def sort_key(self) -> tuple[int, ...]:
        return version_key(self.version)

    def __str__(self) -> str:
        return f"{localised(self.name)} v{self.version}"


class _FrameworkPart:
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[dict[str, Any]]

    @sa.orm.declared_attr
    def framework_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("safeguards_frameworks.id", ondelete="CASCADE"), index=True)

    @property
    def label(self) -> str:
        return localised(self.name)


class PrincipleCategory(LabelledEnum):
    FOUNDATIONAL = "foundational"
    OPERATIONAL = "operational"

    __labels__ = {"foundational": _l("Foundational"), "operational": _l("Operational")}


class Principle(_FrameworkPart, db.Model):
    __tablename__ = "safeguards_principles"
    __audit__ = {"skip": True}
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    category: Mapped[PrincipleCategory] = mapped_column(enum_column(PrincipleCategory))
    summary: Mapped[dict[str, Any]]
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[FrameworkVersion] = relationship(back_populates="principles")


class Risk(_FrameworkPart, db.Model):
    __tablename__ = "safeguards_risks"
    __audit__ = {"skip": True}
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    category: Mapped[str] = mapped_column(sa.String(4))
    category_name: Mapped[dict[str, Any]]


class Authority(_FrameworkPart, db.Model):
    __tablename__ = "safeguards_authorities"
    __audit__ = {"skip": True}
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    description: Mapped[dict[str, Any]]


class Stage(_FrameworkPart, db.Model):
    __tablename__ = "safeguards_stages"
    __audit__ = {"skip": True}
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)


process_stages = sa.Table(
    "safeguards_process_stages",
    db.metadata,
    sa.Column("process_id", sa.ForeignKey("safeguards_processes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stage_id", sa.ForeignKey("safeguards_stages.id", ondelete="CASCADE"), primary_key=True),
)
process_risks = sa.Table(
    "safeguards_process_risks",
    db.metadata,
    sa.Column("process_id", sa.ForeignKey("safeguards_processes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("risk_id", sa.ForeignKey("safeguards_risks.id", ondelete="CASCADE"), primary_key=True),
)


class ProcessAuthority(db.Model):
    """A process → responsible authority link; ``is_inferred`` marks the provisional attributions."""

    __tablename__ = "safeguards_process_authorities"
    __audit__ = {"skip": True}

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_processes.id", ondelete="CASCADE"), primary_key=True
    )
    authority_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_authorities.id", ondelete="CASCADE"), primary_key=True
    )
    is_inferred: Mapped[bool] = mapped_column(default=False)

    authority: Mapped[Authority] = relationship()


class Process(Versioned, db.Model):
    """``version`` counts edits of its texts (translations filled in), so no editor overwrites another."""

    __tablename__ = "safeguards_processes"
    __audit__ = {"skip": True}
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_frameworks.id", ondelete="CASCADE"), index=True
    )
    principle_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_principles.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(16))
    display_code: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[dict[str, Any]]
    question: Mapped[dict[str, Any]]
    evidence: Mapped[dict[str, Any]]
    source_url: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    principle: Mapped[Principle] = relationship()
    authority_links: Mapped[list[ProcessAuthority]] = relationship(cascade="all, delete-orphan")
    stages: Mapped[list[Stage]] = relationship(secondary=process_stages, order_by="Stage.code")
    risks: Mapped[list[Risk]] = relationship(secondary=process_risks, order_by="Risk.code")


# Pilots (of the kernel's DPI systems) ----------------------------------------------------------


class TeamRole(LabelledEnum):
    LEAD = "lead"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"

    __labels__ = {
        "lead": _l("Lead"),
        "contributor": _l("Contributor"),
        "reviewer": _l("Reviewer (staff)"),
    }


class Pilot(Timestamped, db.Model):
    __tablename__ = "safeguards_pilots"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("dpi_systems.id"), index=True)
    country: Mapped[str] = mapped_column(sa.String(2))
    title: Mapped[str] = mapped_column(sa.String(200))

    system: Mapped[DpiSystem] = relationship()
    members: Mapped[list[PilotMember]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="PilotMember.id"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="pilot", order_by="Assessment.cycle", viewonly=True
    )

    def role_of(self, user) -> TeamRole | None:
        if not user or not getattr(user, "is_authenticated", False):
            return None
        return next((m.role for m in self.members if m.user_id == user.id), None)

    @property
    def team(self) -> list[PilotMember]:
        return [m for m in self.members if m.role is not TeamRole.REVIEWER]

    @property
    def reviewers(self) -> list[PilotMember]:
        return [m for m in self.members if m.role is TeamRole.REVIEWER]

    def __str__(self) -> str:
        return self.title


class PilotMember(Timestamped, db.Model):
    __tablename__ = "safeguards_pilot_members"
    __table_args__ = (sa.UniqueConstraint("pilot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_pilots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[TeamRole] = mapped_column(enum_column(TeamRole))

    pilot: Mapped[Pilot] = relationship(back_populates="members")
    user: Mapped[User] = relationship()  # noqa: F821


# Assessments -------------------------------------------------------------------------------------


class AssessmentState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    __labels__ = {
        "draft": _l("Draft"),
        "submitted": _l("Submitted for review"),
        "changes_requested": _l("Changes requested"),
        "approved": _l("Approved"),
        "published": _l("Published"),
        "withdrawn": _l("Withdrawn"),
    }


#: States in which the team may change answers and scope.
TEAM_EDITABLE = frozenset({AssessmentState.DRAFT, AssessmentState.CHANGES_REQUESTED})
#: States whose results are final (a withdrawn assessment is closed too: the team starts a new cycle).
FINAL = frozenset({AssessmentState.APPROVED, AssessmentState.PUBLISHED, AssessmentState.WITHDRAWN})
#: States anyone may see: the published results, and the public record of a withdrawal.
PUBLIC = frozenset({AssessmentState.PUBLISHED, AssessmentState.WITHDRAWN})


class Assessment(Timestamped, Versioned, db.Model):
    __tablename__ = "safeguards_assessments"
    __table_args__ = (sa.UniqueConstraint("pilot_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_pilots.id"), index=True)
    cycle: Mapped[int] = mapped_column(default=1)
    framework_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_frameworks.id"))
    authorities: Mapped[list[str]] = mapped_column(default=list)
    stages: Mapped[list[str]] = mapped_column(default=list)
    state: Mapped[AssessmentState] = mapped_column(
        enum_column(AssessmentState), default=AssessmentState.DRAFT, index=True
    )
    review_note: Mapped[str] = mapped_column(sa.Text, default="")
    copied_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("safeguards_assessments.id"))
    #: when it entered its current state: how long it has been waiting (the staff work queue)
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    #: public, shown on the results page and kept in the open data
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")

    pilot: Mapped[Pilot] = relationship(back_populates="assessments")
    framework: Mapped[FrameworkVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    #: deleted through the ORM, not only by the foreign key's cascade, so their stored files go too
    evidence_files: Mapped[list[EvidenceFile]] = relationship(cascade="all, delete-orphan")  # noqa: F821

    @property
    def has_scope(self) -> bool:
        return bool(self.authorities and self.stages)

    @property
    def is_team_editable(self) -> bool:
        return self.state in TEAM_EDITABLE

    @property
    def is_final(self) -> bool:
        return self.state in FINAL

    def __str__(self) -> str:
        return f"{self.pilot.title} · {self.cycle}"


class AnswerStatus(LabelledEnum):
    UNANSWERED = "unanswered"
    RATED = "rated"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"

    __labels__ = {
        "unanswered": _l("Not answered yet"),
        "rated": _l("Rated"),
        "not_applicable": _l("Not applicable"),
        "unknown": _l("Don't know"),
    }


RATING_LABELS = {
    0: _l("0 · Not in place"),
    1: _l("1 · Initial"),
    2: _l("2 · Partial"),
    3: _l("3 · Implemented"),
    4: _l("4 · Institutionalised and monitored"),
}

#: What the team fills in for an item: a new cycle copies these fields, a save compares them.
TEAM_FIELDS = ("status", "rating", "justification", "evidence", "links", "confidence")


class Answer(Timestamped, Versioned, db.Model):
    """One item: the team's answer to one framework process, and the reviewer's view of it."""

    __tablename__ = "safeguards_answers"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "process_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_assessments.id", ondelete="CASCADE"), index=True
    )
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_processes.id"))
    status: Mapped[AnswerStatus] = mapped_column(enum_column(AnswerStatus), default=AnswerStatus.UNANSWERED)
    rating: Mapped[int | None]
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    links: Mapped[str] = mapped_column(sa.Text, default="")
    confidence: Mapped[str] = mapped_column(sa.String(500), default="")
    reviewed_rating: Mapped[int | None]
    reviewer_comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    process: Mapped[Process] = relationship()
    updated_by: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def choice(self) -> str:
        """The single radio value the wizard shows: "0".."4", "not_applicable", "unknown" or ""."""
        if self.status is AnswerStatus.RATED and self.rating is not None:
            return str(self.rating)
        if self.status in (AnswerStatus.NOT_APPLICABLE, AnswerStatus.UNKNOWN):
            return self.status.value
        return ""
