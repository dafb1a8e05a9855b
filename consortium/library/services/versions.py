"""A version's way to readers: translator, review by a second person, publication, withdrawal."""

from __future__ import annotations

from consortium.db import db, utcnow
from consortium.i18n import language_name
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import Resource, ResourceVersion, VersionStatus
from consortium.library.services.errors import LibraryError, ReviewRequired, SameReviewer
from consortium.library.services.resources import sync_tags
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed


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
            language=language_name(version.language, translator.locale),
            url=public_url("library.edit_version", resource_id=version.resource_id, lang=version.language),
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
    refresh_publication(version.resource)
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
    refresh_publication(version.resource)
    state_changed.send(version, action="library.version_unpublished", by=by, summary=version.language)


def refresh_publication(resource: Resource) -> None:
    db.session.flush()
    published = [v for v in resource.versions if v.is_published]
    resource.published_languages = sorted(v.language for v in published)
    resource.last_published_at = max((v.published_at for v in published if v.published_at), default=None)
    sync_tags(resource)
