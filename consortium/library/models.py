"""Resources, their language versions, attachments, topics and readers' translation requests."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import LANGUAGES, LabelledEnum, localised
from consortium.i18n import lazy_gettext as _l
from consortium.storage import StoredFile


class ResourceKind(LabelledEnum):
    GUIDE = "guide"
    CASE_STUDY = "case_study"
    LEARNING_MATERIAL = "learning_material"
    TOOLKIT = "toolkit"
    REPORT = "report"
    VIDEO = "video"
    DATASET = "dataset"

    __labels__ = {
        "guide": _l("Guide"),
        "case_study": _l("Case study"),
        "learning_material": _l("Learning material"),
        "toolkit": _l("Toolkit"),
        "report": _l("Report"),
        "video": _l("Video"),
        "dataset": _l("Dataset"),
    }


class VersionStatus(LabelledEnum):
    DRAFT = "draft"
    IN_TRANSLATION = "in_translation"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"

    __labels__ = {
        "draft": _l("Draft"),
        "in_translation": _l("In translation"),
        "in_review": _l("In review"),
        "published": _l("Published"),
    }


#: A resource's ``systems`` hold the slugs of the kernel's DPI systems (``consortium.reference.systems``),
#: or this one for systems the kernel does not list.
OTHER_SYSTEMS = "other"

#: Facets kept in resource_tags so every filter is one indexed EXISTS, on SQLite and PostgreSQL alike.
FACET_COUNTRY, FACET_SYSTEM, FACET_PRINCIPLE = "country", "system", "principle"
FACET_TOPIC, FACET_LANGUAGE = "topic", "language"


class Topic(Timestamped, db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: {language: name}
    names: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    @property
    def display_name(self) -> str:
        return localised(self.names) or self.slug


class Resource(Timestamped, Versioned, db.Model):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind))
    original_language: Mapped[str] = mapped_column(sa.String(8))
    countries: Mapped[list[str]] = mapped_column(default=list)
    systems: Mapped[list[str]] = mapped_column(default=list)
    principles: Mapped[list[str]] = mapped_column(default=list)
    #: Topic slugs (a topic's slug never changes; its names do).
    topic_slugs: Mapped[list[str]] = mapped_column(default=list)
    authors: Mapped[list[str]] = mapped_column(default=list)
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    licence: Mapped[str] = mapped_column(sa.String(60), default="CC BY 4.0")
    published_on: Mapped[date | None] = mapped_column(sa.Date)
    source_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Languages with a published version, kept by the services (read on every list without a join).
    published_languages: Mapped[list[str]] = mapped_column(default=list)
    #: The newest publication of any of its versions: the list's and the feed's order.
    last_published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    versions: Mapped[list[ResourceVersion]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="ResourceVersion.language"
    )

    def version_in(self, language: str) -> ResourceVersion | None:
        return next((v for v in self.versions if v.language == language), None)

    @property
    def original(self) -> ResourceVersion | None:
        return self.version_in(self.original_language)

    @property
    def is_published(self) -> bool:
        return bool(self.published_languages)

    def display_language(self, language: str) -> str | None:
        """The language a reader of ``language`` gets: theirs, else the original, else any published."""
        available = self.published_languages or []
        for candidate in (language, self.original_language, *LANGUAGES):
            if candidate in available:
                return candidate
        return None


class ResourceTag(db.Model):
    """One (facet, value) of a resource: country BR, system pix, principle F3, language es."""

    __tablename__ = "resource_tags"
    __audit__ = {"skip": True}  # a derived index of Resource's own (audited) columns

    resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(32), primary_key=True)

    __table_args__ = (sa.Index("ix_resource_tags_facet_value", "facet", "value", "resource_id"),)


class ResourceVersion(Timestamped, Versioned, db.Model):
    __tablename__ = "resource_versions"
    __audit__ = {"exclude": {"body"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resources.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    slug: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[VersionStatus] = mapped_column(enum_column(VersionStatus), default=VersionStatus.DRAFT)
    #: Counts edits of title, summary or body; translations remember the original's revision they follow.
    revision: Mapped[int] = mapped_column(default=1)
    source_revision: Mapped[int | None] = mapped_column()
    is_outdated: Mapped[bool] = mapped_column(default=False)
    translator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column()

    resource: Mapped[Resource] = relationship(back_populates="versions")
    translator = relationship("User", foreign_keys=[translator_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    attachment: Mapped[Attachment | None] = relationship(
        back_populates="version", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (
        sa.UniqueConstraint("resource_id", "language", name="uq_resource_versions_resource_language"),
        sa.UniqueConstraint("language", "slug", name="uq_resource_versions_language_slug"),
        sa.Index("ix_resource_versions_status_language", "status", "language"),
    )

    @property
    def is_original(self) -> bool:
        return self.language == self.resource.original_language

    @property
    def is_published(self) -> bool:
        return self.status is VersionStatus.PUBLISHED


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource_versions.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: The key of its bytes in consortium.storage, whose row also holds their size and content type.
    stored_name: Mapped[str] = mapped_column(sa.String(80), sa.ForeignKey("stored_files.key"), unique=True)
    download_count: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[ResourceVersion] = relationship(back_populates="attachment")
    file: Mapped[StoredFile] = relationship()


class TranslationRequest(db.Model):
    """A reader asked for a resource in their language; one row per person, resource and language."""

    __tablename__ = "translation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resources.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(8))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint(
            "resource_id", "language", "user_id", name="uq_translation_requests_resource_language_user"
        ),
    )
