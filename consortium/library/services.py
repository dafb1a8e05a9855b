"""The library's rules. Services flush and raise, never commit: views and the API run them in
``transaction.action()``, and file changes wait for its outcome (``consortium.storage``)."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import format_decimal

from consortium import archives, storage, transaction
from consortium.db import db, utcnow
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import (
    FACET_COUNTRY,
    FACET_LANGUAGE,
    FACET_PRINCIPLE,
    FACET_SYSTEM,
    FACET_TOPIC,
    Attachment,
    Resource,
    ResourceTag,
    ResourceVersion,
    Topic,
    TranslationRequest,
    VersionStatus,
)
from consortium.mail import queue_email
from consortium.signals import state_changed
from consortium.users.models import User


class LibraryError(Exception):
    """A rule of the library was broken; ``message`` is translated and safe to show."""

    message = _l("This action is not possible.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class ReviewRequired(LibraryError):
    message = _l("A translation is published only after review: send it for review first.")


class SameReviewer(LibraryError):
    message = _l("A second person must review this translation: you translated it.")


class InvalidAttachment(LibraryError):
    message = _l("Upload a PDF, ODT, DOCX or PPTX file.")


class TopicExists(LibraryError):
    message = _l("A topic with this short name exists already.")


RESOURCE_FIELDS = (
    "kind",
    "original_language",
    "countries",
    "systems",
    "principles",
    "topic_slugs",
    "authors",
    "organisation",
    "licence",
    "published_on",
    "source_url",
)
CONTENT_FIELDS = ("title", "summary", "body")


# Slugs ----------------------------------------------------------------------------------------------


def slugify(text: str, max_length: int = 120) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "resource"


def unique_slug(language: str, wanted: str, *, exclude_id: int | None = None) -> str:
    base = slugify(wanted)
    taken = set(
        db.session.scalars(
            sa.select(ResourceVersion.slug).where(
                ResourceVersion.language == language,
                ResourceVersion.slug.like(f"{base}%"),
                ResourceVersion.id != (exclude_id or 0),
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# Resources ------------------------------------------------------------------------------------------


def sync_tags(resource: Resource) -> None:
    """Rewrite the resource's filter facets from its own columns."""
    db.session.flush()
    db.session.execute(sa.delete(ResourceTag).where(ResourceTag.resource_id == resource.id))
    db.session.add_all(
        ResourceTag(resource_id=resource.id, facet=facet, value=value)
        for facet, values in tag_values(resource).items()
        for value in dict.fromkeys(values)
    )
    db.session.flush()


def tag_values(resource: Resource | dict) -> dict[str, list[str]]:
    get = resource.get if isinstance(resource, dict) else lambda key: getattr(resource, key)
    return {
        FACET_COUNTRY: get("countries") or [],
        FACET_SYSTEM: get("systems") or [],
        FACET_PRINCIPLE: get("principles") or [],
        FACET_TOPIC: get("topic_slugs") or [],
        FACET_LANGUAGE: get("published_languages") or [],
    }


def create_resource(
    *, by, title: str, summary: str = "", body: str = "", slug: str = "", **fields
) -> Resource:
    """A new resource with its original-language version as a draft."""
    resource = Resource(created_by_id=getattr(by, "id", None), published_languages=[])
    for key in RESOURCE_FIELDS:
        if key in fields:
            setattr(resource, key, fields[key])
    db.session.add(resource)
    db.session.flush()
    save_version(
        resource, resource.original_language, by=by, title=title, summary=summary, body=body, slug=slug
    )
    sync_tags(resource)
    return resource


def update_resource(resource: Resource, *, by, **fields: Any) -> Resource:
    language_before = resource.original_language
    for key in RESOURCE_FIELDS:
        if key in fields:
            setattr(resource, key, fields[key])
    if (
        resource.original_language != language_before
        and resource.version_in(resource.original_language) is None
    ):
        resource.original_language = language_before  # the original must exist as a version
    sync_tags(resource)
    return resource


def save_version(
    resource: Resource,
    language: str,
    *,
    by,
    title: str,
    summary: str = "",
    body: str = "",
    slug: str = "",
) -> ResourceVersion:
    """Create or edit the version in ``language``.

    Editing the original's text after publication marks its published translations outdated.
    Saving a translation records who translates it and which revision of the original it follows,
    which clears its outdated mark.
    """
    if language not in LANGUAGES:
        raise LibraryError(_l("Unknown language."))
    version = resource.version_in(language)
    is_new = version is None
    if is_new:
        version = ResourceVersion(
            resource=resource,
            language=language,
            title=title,
            revision=1,
            slug=unique_slug(language, slug or title),
        )
        db.session.add(version)
        db.session.flush()
    changed = is_new or any(
        getattr(version, key) != value
        for key, value in zip(CONTENT_FIELDS, (title, summary, body), strict=True)
    )
    version.title, version.summary, version.body = title, summary or "", body or ""
    wanted_slug = slug or version.slug or title
    if not is_new and slugify(wanted_slug) != version.slug:
        version.slug = unique_slug(language, wanted_slug, exclude_id=version.id)
    if changed and not is_new:
        version.revision += 1
    if language == resource.original_language:
        if changed and not is_new:
            _mark_translations_outdated(resource, by=by)
    else:
        original = resource.original
        version.source_revision = original.revision if original else None
        version.is_outdated = False
        if version.translator_id is None and by is not None:
            version.translator_id = by.id
        if version.status is VersionStatus.DRAFT:
            version.status = VersionStatus.IN_TRANSLATION
    db.session.flush()
    return version


def _mark_translations_outdated(resource: Resource, *, by) -> None:
    for version in resource.versions:
        if (
            version.language != resource.original_language
            and version.is_published
            and not version.is_outdated
        ):
            version.is_outdated = True
            state_changed.send(
                version,
                action="library.translation_outdated",
                by=by,
                summary=f"{version.language}: the original changed after this translation was published",
            )


def assign_translator(version: ResourceVersion, translator, *, by) -> None:
    """Make ``translator`` responsible for the version; they are told by e-mail, in their language."""
    version.translator_id = translator.id if translator else None
    if translator and version.status is VersionStatus.DRAFT:
        version.status = VersionStatus.IN_TRANSLATION
    db.session.flush()
    if translator is not None and translator.id != getattr(by, "id", None):
        original = version.resource.original
        queue_email(
            translator.email,
            "library_translation_assigned",
            _l("A translation for you in the library"),
            to_name=translator.name,
            locale=translator.locale,
            title=original.title if original else version.title,
            language=LANGUAGES[version.language],
            url=current_app.config["PUBLIC_URL"].rstrip("/")
            + url_for("library.edit_version", resource_id=version.resource_id, lang=version.language),
        )
    state_changed.send(
        version,
        action="library.translator_assigned",
        by=by,
        summary=f"{version.language}: {translator.email if translator else '-'}",
    )


def submit_for_review(version: ResourceVersion, *, by) -> None:
    if version.is_published:
        raise LibraryError(_l("This version is already published."))
    version.status = VersionStatus.IN_REVIEW
    if version.translator_id is None and not version.is_original:
        version.translator_id = by.id
    db.session.flush()
    state_changed.send(version, action="library.review_requested", by=by, summary=version.language)


def return_to_translation(version: ResourceVersion, *, by, note: str = "") -> None:
    version.status = VersionStatus.IN_TRANSLATION
    db.session.flush()
    state_changed.send(version, action="library.review_returned", by=by, summary=note[:200])


def publish_version(version: ResourceVersion, *, by) -> None:
    """Originals are published by staff directly; a translation needs review by someone else."""
    if not version.is_original:
        if version.status is not VersionStatus.IN_REVIEW:
            raise ReviewRequired
        if version.translator_id is not None and version.translator_id == by.id:
            raise SameReviewer
        version.reviewer_id = by.id
    version.status = VersionStatus.PUBLISHED
    version.is_outdated = False
    version.published_at = utcnow()
    _refresh_publication(version.resource)
    state_changed.send(
        version,
        action="library.version_reviewed_and_published"
        if not version.is_original
        else "library.version_published",
        by=by,
        summary=f"{version.language}: {version.title}",
    )


def unpublish_version(version: ResourceVersion, *, by) -> None:
    version.status = VersionStatus.DRAFT if version.is_original else VersionStatus.IN_REVIEW
    _refresh_publication(version.resource)
    state_changed.send(version, action="library.version_unpublished", by=by, summary=version.language)


def _refresh_publication(resource: Resource) -> None:
    db.session.flush()
    published = [v for v in resource.versions if v.is_published]
    resource.published_languages = sorted(v.language for v in published)
    resource.last_published_at = max((v.published_at for v in published if v.published_at), default=None)
    sync_tags(resource)


# Readers' requests ------------------------------------------------------------------------------------


def request_translation(resource: Resource, language: str, user) -> bool:
    """Count a reader's wish for ``language`` once per person. True when it is new."""
    if language not in LANGUAGES or language in (resource.published_languages or []):
        return False
    exists = db.session.scalar(
        sa.select(TranslationRequest.id).where(
            TranslationRequest.resource_id == resource.id,
            TranslationRequest.language == language,
            TranslationRequest.user_id == user.id,
        )
    )
    if exists:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(TranslationRequest(resource_id=resource.id, language=language, user_id=user.id))
    except sa.exc.IntegrityError:
        return False
    return True


def demand(resource_ids: list[int] | None = None) -> dict[tuple[int, str], int]:
    """{(resource id, language): number of people who asked}, in one query."""
    query = sa.select(
        TranslationRequest.resource_id, TranslationRequest.language, sa.func.count(TranslationRequest.id)
    ).group_by(TranslationRequest.resource_id, TranslationRequest.language)
    if resource_ids is not None:
        query = query.where(TranslationRequest.resource_id.in_(resource_ids))
    return {(rid, lang): n for rid, lang, n in db.session.execute(query)}


@dataclass
class BoardRow:
    resource_id: int
    language: str
    title: str
    original_language: str
    version_id: int | None
    status: VersionStatus | None
    is_outdated: bool
    translator: str | None
    demand: int


def board(*, status: str = "", page: int = 1, per_page: int = 50) -> tuple[list[BoardRow], int]:
    """Every (resource, language) lacking an up-to-date published version, most requested first.

    One statement whatever the size of the library: resources x the other languages, the version
    if any, its translator and the readers' demand, with the total as a window count.
    """
    languages = sa.union_all(*(sa.select(sa.literal(code).label("language")) for code in LANGUAGES)).subquery(
        "langs"
    )
    original = sa.orm.aliased(ResourceVersion)
    target = sa.orm.aliased(ResourceVersion)
    wanted = (
        sa.select(TranslationRequest.resource_id, TranslationRequest.language, sa.func.count().label("n"))
        .group_by(TranslationRequest.resource_id, TranslationRequest.language)
        .subquery("wanted")
    )
    demand_column = sa.func.coalesce(wanted.c.n, 0)
    query = (
        sa.select(
            Resource.id,
            languages.c.language,
            original.title,
            Resource.original_language,
            target.id,
            target.status,
            target.is_outdated,
            User.name,
            demand_column,
            sa.func.count().over(),
        )
        .select_from(Resource)
        .join(languages, languages.c.language != Resource.original_language)
        .join(
            original,
            sa.and_(original.resource_id == Resource.id, original.language == Resource.original_language),
        )
        .outerjoin(
            target, sa.and_(target.resource_id == Resource.id, target.language == languages.c.language)
        )
        .outerjoin(User, User.id == target.translator_id)
        .outerjoin(
            wanted, sa.and_(wanted.c.resource_id == Resource.id, wanted.c.language == languages.c.language)
        )
        .where(
            sa.or_(
                target.id.is_(None), target.status != VersionStatus.PUBLISHED, target.is_outdated.is_(True)
            )
        )
    )
    if status == "missing":
        query = query.where(target.id.is_(None))
    elif status == VersionStatus.PUBLISHED.value:
        query = query.where(target.is_outdated.is_(True))
    elif status in VersionStatus._value2member_map_:
        query = query.where(target.status == VersionStatus(status))
    query = (
        query.order_by(demand_column.desc(), Resource.id.desc(), languages.c.language)
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    rows = db.session.execute(query).all()
    total = rows[0][-1] if rows else 0
    return [
        BoardRow(
            resource_id=row[0],
            language=row[1],
            title=row[2],
            original_language=row[3],
            version_id=row[4],
            status=row[5],
            is_outdated=bool(row[6]),
            translator=row[7],
            demand=row[8],
        )
        for row in rows
    ], total


def coverage() -> dict[str, Any]:
    """Share of published resources available in each language."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Resource).where(Resource.last_published_at.is_not(None))
    )
    counts = dict(
        db.session.execute(
            sa.select(ResourceTag.value, sa.func.count())
            .where(ResourceTag.facet == FACET_LANGUAGE)
            .group_by(ResourceTag.value)
        ).all()
    )
    return {
        "total": total or 0,
        "languages": {
            language: {
                "count": counts.get(language, 0),
                "share": (counts.get(language, 0) / total) if total else 0,
            }
            for language in LANGUAGES
        },
    }


# Topics --------------------------------------------------------------------------------------------


def save_topic(topic: Topic | None, *, slug: str, names: dict[str, str]) -> Topic:
    """Rename ``topic``, or add a new one; two people adding one short name at once get TopicExists."""
    names = {language: name.strip() for language, name in names.items() if name and name.strip()}
    if topic is not None:
        topic.names = names
        db.session.flush()
        return topic
    topic = Topic(slug=slugify(slug, 32), names=names)
    try:
        with db.session.begin_nested():
            db.session.add(topic)
    except sa.exc.IntegrityError:
        raise TopicExists from None
    return topic


def delete_topic(topic: Topic) -> None:
    tagged = db.session.scalars(
        sa.select(Resource)
        .join(ResourceTag)
        .where(ResourceTag.facet == FACET_TOPIC, ResourceTag.value == topic.slug)
    ).all()
    for resource in tagged:
        resource.topic_slugs = [slug for slug in resource.topic_slugs if slug != topic.slug]
        sync_tags(resource)
    db.session.delete(topic)
    db.session.flush()


# Attachments ---------------------------------------------------------------------------------------

#: extension -> content type, checked from the bytes by ``sniff``.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def sniff(stream: IO[bytes]) -> str | None:
    """The attachment kind read from the content itself ("pdf", "odt", "docx", "pptx"), or None.

    ``stream`` must be seekable (uploads are: werkzeug spools them); it is read from its start.
    """
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            # bounded reads: the mimetype entry is ~40 bytes, [Content_Types].xml a few KB (archives.py)
            if (
                "mimetype" in names
                and archives.read_entry(archive, "mimetype", 1024).strip() == ATTACHMENT_TYPES["odt"].encode()
            ):
                return "odt"
            if "[Content_Types].xml" in names:
                mains = {kind: main.encode() for kind, main in _OOXML_MAIN.items()}
                return archives.first_found(archive, "[Content_Types].xml", mains, limit=1024 * 1024)
    except archives.ERRORS:
        return None
    return None


def safe_display_name(filename: str, kind: str) -> str:
    stem = Path(filename or "").stem
    return f"{slugify(stem, 80) if stem else 'document'}.{kind}"


def attach(version: ResourceVersion, stream: IO[bytes], filename: str, *, by) -> Attachment:
    """Check an upload's size and real type, then store it (consortium.storage) under a generated key.

    ``stream`` must be seekable (werkzeug's uploads are). The version's previous file stays until the
    action commits, and the new one goes if it rolls back, so the record always points at a file. The
    version is locked before its attachment is replaced: of two uploads at once, the second replaces
    the first.
    """
    size = stream.seek(0, io.SEEK_END)
    if size > float(current_app.config.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024:
        raise InvalidAttachment(
            _l("The file is larger than %(mb)s MB.", mb=format_decimal(current_app.config["MAX_UPLOAD_MB"]))
        )
    if size == 0:
        raise InvalidAttachment(_l("The file is empty."))
    kind = sniff(stream)
    if kind is None:
        raise InvalidAttachment
    stream.seek(0)
    stored = storage.save(stream, safe_display_name(filename, kind), ATTACHMENT_TYPES[kind])
    version = transaction.lock(ResourceVersion, version.id)
    if version.attachment is not None:
        remove_attachment(version.attachment)
    attachment = Attachment(
        version=version,
        filename=stored.filename,
        stored_name=stored.key,
        content_type=stored.content_type,
        size=stored.size,
        uploaded_by_id=getattr(by, "id", None),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(attachment: Attachment) -> None:
    """Delete the record and its stored file (whose bytes go only once the action committed)."""
    stored = attachment.file
    attachment.version.attachment = None
    db.session.delete(attachment)
    db.session.flush()
    storage.delete(stored)


def count_download(attachment: Attachment) -> None:
    """One atomic UPDATE, so simultaneous downloads are all counted."""
    db.session.execute(
        sa.update(Attachment)
        .where(Attachment.id == attachment.id)
        .values(download_count=Attachment.download_count + 1)
        .execution_options(synchronize_session=False)
    )
