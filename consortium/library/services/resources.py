"""Resources and the text of their language versions: creating, editing, the filter facets.

Editing an original after publication marks its published translations outdated; saving a
translation records which revision of the original it follows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from consortium.db import db
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import (
    FACET_COUNTRY,
    FACET_LANGUAGE,
    FACET_PRINCIPLE,
    FACET_SYSTEM,
    FACET_TOPIC,
    Resource,
    ResourceTag,
    ResourceVersion,
    VersionStatus,
)
from consortium.library.services.errors import LibraryError
from consortium.library.services.slugs import slugify, unique_slug
from consortium.signals import state_changed

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
