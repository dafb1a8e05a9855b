"""A roadmap per assessment: the rated candidates (some chosen as priorities), the actions under each
priority with their milestones, and the versions frozen at each validation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import LabelledEnum
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation
from consortium.storage import StoredFile
from safeguards.models import Assessment


class RoadmapState(LabelledEnum):
    DRAFT = "draft"
    VALIDATED = "validated"
    REVISING = "revising"  # validated before; a new version is being prepared

    __labels__ = {
        "draft": _l("Draft"),
        "validated": _l("Validated"),
        "revising": _l("Being revised"),
    }


#: States in which the team may change the priorities and the actions' plans.
EDITABLE = frozenset({RoadmapState.DRAFT, RoadmapState.REVISING})


class Roadmap(Timestamped, Versioned, db.Model):
    __tablename__ = "safeguards_roadmaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_assessments.id", ondelete="CASCADE"), unique=True
    )
    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_pilots.id"), index=True)
    state: Mapped[RoadmapState] = mapped_column(enum_column(RoadmapState), default=RoadmapState.DRAFT)
    #: the number the next validation gives its version (1 until the first validation)
    number: Mapped[int] = mapped_column(default=1)
    #: what this revision changes, said when it starts; it goes into the version's changelog
    changelog: Mapped[str] = mapped_column(sa.Text, default="")
    validated_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship()
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="roadmap", cascade="all, delete-orphan", order_by="Priority.id"
    )
    versions: Mapped[list[RoadmapVersion]] = relationship(
        back_populates="roadmap", cascade="all, delete-orphan", order_by="RoadmapVersion.number"
    )

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def has_validated_version(self) -> bool:
        return self.number > 1 or self.state is RoadmapState.VALIDATED

    def __str__(self) -> str:
        return f"{self.assessment.pilot.title} · {self.assessment.cycle}"


class Priority(Timestamped, db.Model):
    """One candidate item as the team rated it; ``is_selected`` makes it a priority, with a rationale."""

    __tablename__ = "safeguards_roadmap_priorities"
    __table_args__ = (sa.UniqueConstraint("roadmap_id", "process_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_roadmaps.id", ondelete="CASCADE"))
    process_code: Mapped[str] = mapped_column(sa.String(16))
    urgency: Mapped[int | None]
    feasibility: Mapped[int | None]
    is_selected: Mapped[bool] = mapped_column(default=False)
    rationale: Mapped[str] = mapped_column(sa.Text, default="")

    roadmap: Mapped[Roadmap] = relationship(back_populates="priorities")
    actions: Mapped[list[Action]] = relationship(back_populates="priority", order_by="Action.id")


class ActionState(LabelledEnum):
    PROPOSED = "proposed"
    VALIDATED = "validated"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DELAYED = "delayed"
    AT_RISK = "at_risk"
    DROPPED = "dropped"

    __labels__ = {
        "proposed": _l("Proposed"),
        "validated": _l("Validated"),
        "in_progress": _l("In progress"),
        "completed": _l("Completed"),
        "delayed": _l("Delayed"),
        "at_risk": _l("At risk"),
        "dropped": _l("Dropped"),
    }


#: Where an owner may take an action from each state (validation moves proposed ones; delays are automatic).
TRANSITIONS: dict[ActionState, frozenset[ActionState]] = {
    ActionState.PROPOSED: frozenset(),
    ActionState.VALIDATED: frozenset({ActionState.IN_PROGRESS, ActionState.AT_RISK, ActionState.DROPPED}),
    ActionState.IN_PROGRESS: frozenset({ActionState.COMPLETED, ActionState.AT_RISK, ActionState.DROPPED}),
    ActionState.AT_RISK: frozenset({ActionState.IN_PROGRESS, ActionState.COMPLETED, ActionState.DROPPED}),
    ActionState.DELAYED: frozenset(
        {ActionState.IN_PROGRESS, ActionState.AT_RISK, ActionState.COMPLETED, ActionState.DROPPED}
    ),
    ActionState.COMPLETED: frozenset(),
    ActionState.DROPPED: frozenset(),
}
#: States the automatic run may move to "delayed" once the due date passed with milestones open.
MAY_BE_DELAYED = frozenset({ActionState.VALIDATED, ActionState.IN_PROGRESS, ActionState.AT_RISK})

action_co_owners = sa.Table(
    "safeguards_action_co_owners",
    db.metadata,
    sa.Column("action_id", sa.ForeignKey("safeguards_actions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Action(Timestamped, Versioned, db.Model):
    __tablename__ = "safeguards_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_roadmaps.id", ondelete="CASCADE"), index=True
    )
    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_roadmap_priorities.id"), index=True)
    #: {language: text}; at least one language, shown with a notice where the reader's is missing
    title: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]]
    #: framework codes it addresses
    processes: Mapped[list[str]] = mapped_column(default=list)
    principles: Mapped[list[str]] = mapped_column(default=list)
    risks: Mapped[list[str]] = mapped_column(default=list)
    authority: Mapped[str] = mapped_column(sa.String(4))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    starts_on: Mapped[date | None]
    due_on: Mapped[date | None] = mapped_column(index=True)
    measurable_outcome: Mapped[str] = mapped_column(sa.Text, default="")
    is_verifiable: Mapped[bool] = mapped_column(default=False)
    state: Mapped[ActionState] = mapped_column(
        enum_column(ActionState), default=ActionState.PROPOSED, index=True
    )
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: public, said when dropping it
    drop_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: when the owners were reminded of the due date, and of the missing updates (each once, claimed)
    due_reminder_at: Mapped[datetime | None]
    quiet_reminder_at: Mapped[datetime | None]

    priority: Mapped[Priority] = relationship(back_populates="actions")
    #: read-only: the action's pages and policies reach the roadmap through it, so it stays loaded
    roadmap: Mapped[Roadmap] = relationship(viewonly=True)
    owner: Mapped[Organisation] = relationship()
    co_owners: Mapped[list[Organisation]] = relationship(
        secondary=action_co_owners, order_by="Organisation.name"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="Milestone.id"
    )

    @property
    def needs_verifiability(self) -> bool:
        """The form's warning: nothing shows whether it was done."""
        return not self.milestones and not self.measurable_outcome.strip()

    @property
    def open_milestones(self) -> list[Milestone]:
        return [m for m in self.milestones if not m.is_done]


class Milestone(db.Model):
    __tablename__ = "safeguards_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_actions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    due_on: Mapped[date | None]
    is_done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]

    action: Mapped[Action] = relationship(back_populates="milestones")


class RoadmapVersion(db.Model):
    """What a validation made final: the priorities and the actions' plans as they were, never changed."""

    __tablename__ = "safeguards_roadmap_versions"
    __audit__ = {"skip": True}  # the validation itself is audited
    __table_args__ = (sa.UniqueConstraint("roadmap_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_roadmaps.id", ondelete="CASCADE"))
    number: Mapped[int]
    changelog: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot: Mapped[dict[str, Any]]
    validated_at: Mapped[datetime] = mapped_column(default=utcnow)
    validated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    roadmap: Mapped[Roadmap] = relationship(back_populates="versions")


class ProgressUpdate(db.Model):
    """An owner's report on an action: its state then, what happened, and links or a file as evidence.

    Public on the tracker once the roadmap is (the form says so): nothing in it is private.
    """

    __tablename__ = "safeguards_action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_actions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: the action's state once the update was posted (it may have moved it)
    state: Mapped[ActionState] = mapped_column(enum_column(ActionState))
    narrative: Mapped[str] = mapped_column(sa.Text)
    links: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile | None] = relationship()
    author: Mapped[User | None] = relationship()  # noqa: F821


class RoadmapReviewer(db.Model):
    """A person named to rate a roadmap's actions independently (a CSO, academia), for one organisation.

    The organisation is the one shown beside their ratings (never their e-mail) and the one whose own
    actions they may not rate.
    """

    __tablename__ = "safeguards_roadmap_reviewers"
    __table_args__ = (sa.UniqueConstraint("roadmap_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguards_roadmaps.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])  # noqa: F821
    organisation: Mapped[Organisation] = relationship()


class ActionRating(db.Model):
    """A reviewer's current rating of an action: one row per action and reviewer, replaced when rated
    again (the audit trail keeps the earlier ones)."""

    __tablename__ = "safeguards_action_ratings"
    __table_args__ = (sa.UniqueConstraint("action_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("safeguards_actions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    #: 0-4 on ``COMPLETION`` and ``RESULTS``
    completion: Mapped[int]
    results: Mapped[int]
    justification: Mapped[str] = mapped_column(sa.Text)
    #: the action's state when it was rated, to compare with the owner's report
    action_state: Mapped[ActionState] = mapped_column(enum_column(ActionState))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


COMPLETION = {
    0: _l("Not started"),
    1: _l("Limited"),
    2: _l("Partial"),
    3: _l("Substantial"),
    4: _l("Complete"),
}
RESULTS = {
    0: _l("Worsened"),
    1: _l("None"),
    2: _l("Marginal"),
    3: _l("Major"),
    4: _l("Outstanding"),
}
#: the completion an owner's state implies; a rating outside it diverges from the owner's report
IMPLIED_COMPLETION: dict[ActionState, frozenset[int]] = {
    ActionState.VALIDATED: frozenset({0, 1}),
    ActionState.IN_PROGRESS: frozenset({1, 2, 3}),
    ActionState.AT_RISK: frozenset({0, 1, 2, 3}),
    ActionState.DELAYED: frozenset({0, 1, 2, 3}),
    ActionState.COMPLETED: frozenset({3, 4}),
}


def diverges(rating: ActionRating, state: ActionState) -> bool:
    implied = IMPLIED_COMPLETION.get(state)
    return implied is not None and rating.completion not in implied
