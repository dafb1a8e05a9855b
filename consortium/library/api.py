"""The library over JSON: /api/v1/resources. Reading is public; writing needs staff permissions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy.orm.exc import StaleDataError

from consortium import transaction
from consortium.db import db
from consortium.i18n import current_language
from consortium.library import search, services
from consortium.library.models import Resource, ResourceKind, ResourceVersion, Topic
from consortium.library.schemas import (
    ResourceCreateSchema,
    ResourceDetailSchema,
    ResourcePageSchema,
    ResourcePatchSchema,
    ResourceQuerySchema,
    VersionCreateSchema,
    VersionWriteSchema,
)
from consortium.mail import public_url
from consortium.markdown import render_markdown
from consortium.permissions import Permission, can, public, require
from consortium.reference.systems import current_slug
from consortium.users import current_person

blp = Blueprint("library_api", __name__, url_prefix="/api/v1", description="The resource library")


def item(resource: Resource, version: ResourceVersion, requested: str, *, detail: bool = False) -> dict:
    data = {
        "id": resource.id,
        "kind": resource.kind.value,
        "requested_language": requested,
        "language": version.language,
        "is_fallback": version.language != requested,
        "original_language": resource.original_language,
        "available_languages": list(resource.published_languages or []),
        "title": version.title,
        "summary": version.summary,
        "slug": version.slug,
        "url": public_url("library.read", lang=version.language, slug=version.slug),
        "is_outdated": version.is_outdated,
        "topics": list(resource.topic_slugs or []),
        "countries": list(resource.countries or []),
        "systems": list(resource.systems or []),
        "principles": list(resource.principles or []),
        "authors": list(resource.authors or []),
        "organisation": resource.organisation,
        "licence": resource.licence,
        "published_on": resource.published_on,
        "source_url": resource.source_url,
        "version": resource.version,
    }
    if detail:
        attachment = version.attachment
        data["attachment_url"] = (
            public_url("library.download", attachment_id=attachment.id, name=attachment.filename)
            if attachment
            else None
        )
        data["body"] = version.body
        data["body_html"] = str(render_markdown(version.body))
    return data


def _resource_fields(args: dict) -> dict:
    fields = {key: value for key, value in args.items() if key in services.RESOURCE_FIELDS}
    if "kind" in fields:
        fields["kind"] = ResourceKind(fields["kind"])
    if "systems" in fields:
        fields["systems"] = list(dict.fromkeys(current_slug(slug) for slug in fields["systems"]))
    if "topics" in args:
        known = set(db.session.scalars(sa.select(Topic.slug).where(Topic.slug.in_(args["topics"]))))
        unknown = sorted(set(args["topics"]) - known)
        if unknown:
            abort(422, _("Unknown topics: %(topics)s", topics=", ".join(unknown)))
        fields["topic_slugs"] = list(dict.fromkeys(args["topics"]))
    return fields


@contextlib.contextmanager
def _action() -> Iterator[None]:
    """One write, one transaction: a broken rule, or an edit that lost a race, answers 409 (rolled back)."""
    try:
        with transaction.action():
            yield
    except services.LibraryError as error:
        abort(409, str(error.message))
    except StaleDataError:
        abort(409)


@blp.route("/resources")
@public
@blp.arguments(ResourceQuerySchema, location="query")
@blp.response(200, ResourcePageSchema)
def list_resources(args):
    """Published resources, each in the requested language or, with `is_fallback`, in its original."""
    language = args["lang"] or current_language()
    page = search.search(
        search.Filters(
            language=language,
            text=args["q"],
            kind=args["kind"],
            topic=args["topic"],
            country=args["country"],
            system=current_slug(args["system"]),
            principle=args["principle"],
            available_in=args["available_in"],
            page=args["page"],
            per_page=args["per_page"],
        )
    )
    return {
        "items": [item(hit.resource, hit.version, language) for hit in page.items],
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
    }


def _load(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None or not (resource.is_published or can(Permission.LIBRARY_EDIT)):
        abort(404)
    return resource


@blp.route("/resources/<int:resource_id>")
@public
@blp.arguments(ResourceQuerySchema(only=("lang",)), location="query")
@blp.response(200, ResourceDetailSchema)
def get_resource(args, resource_id: int):
    """One resource with its Markdown body and the sanitised HTML."""
    resource = _load(resource_id)
    language = args["lang"] or current_language()
    shown = resource.display_language(language)
    version = resource.version_in(shown) if shown else resource.original
    return item(resource, version, language, detail=True)


@blp.route("/resources", methods=["POST"])
@require(Permission.LIBRARY_EDIT)
@blp.arguments(ResourceCreateSchema)
@blp.response(201, ResourceDetailSchema)
def create_resource(args):
    """Create a resource and its original-language version (a draft)."""
    fields = _resource_fields(args)
    fields["original_language"] = args["original_language"]
    with _action():
        resource = services.create_resource(
            by=current_person(),
            title=args["title"],
            summary=args["summary"],
            body=args["body"],
            slug=args["slug"],
            **fields,
        )
    return item(resource, resource.original, resource.original_language, detail=True)


@blp.route("/resources/<int:resource_id>", methods=["PATCH"])
@require(Permission.LIBRARY_EDIT)
@blp.arguments(ResourcePatchSchema)
@blp.response(200, ResourceDetailSchema)
@blp.alt_response(409, response="CONFLICT")
def patch_resource(args, resource_id: int):
    resource = db.session.get(Resource, resource_id) or abort(404)
    if "version" in args and args["version"] != resource.version:
        abort(409)
    with _action():
        services.update_resource(resource, by=current_person(), **_resource_fields(args))
    return item(resource, resource.original, resource.original_language, detail=True)


def _write_version(resource: Resource, language: str, args: dict) -> ResourceVersion:
    user = current_person()
    existing = resource.version_in(language)
    needed = (
        Permission.LIBRARY_EDIT if language == resource.original_language else Permission.LIBRARY_TRANSLATE
    )
    if not can(needed):
        abort(403)
    if existing is not None and "version" in args and args["version"] != existing.version:
        abort(409)
    if {"title", "summary", "body", "slug"} & set(args):
        services.save_version(
            resource,
            language,
            by=user,
            title=args.get("title", existing.title if existing else ""),
            summary=args.get("summary", existing.summary if existing else ""),
            body=args.get("body", existing.body if existing else ""),
            slug=args.get("slug", existing.slug if existing else ""),
        )
    version = resource.version_in(language)
    if version is None:
        abort(404)
    status = args.get("status")
    if status == "in_review" and not version.is_published:
        services.submit_for_review(version, by=user)
    elif status == "published" and not version.is_published:
        services.publish_version(version, by=user)
    elif status == "draft" and version.is_published:
        if not can(Permission.LIBRARY_EDIT):
            abort(403)
        services.unpublish_version(version, by=user)
    return version


@blp.route("/resources/<int:resource_id>/versions", methods=["POST"])
@require()
@blp.arguments(VersionCreateSchema)
@blp.response(201, ResourceDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def create_version(args, resource_id: int):
    """Add a language version (a translation starts `in_translation`)."""
    if db.session.get(Resource, resource_id) is None:
        abort(404)
    with _action():
        # Locked: of two simultaneous creations of one language, the second finds the first's version.
        resource = transaction.lock(Resource, resource_id)
        if resource.version_in(args["language"]) is not None:
            abort(409)
        version = _write_version(resource, args["language"], args)
    return item(resource, version, version.language, detail=True)


@blp.route("/resources/<int:resource_id>/versions/<any(es, pt_BR, en):lang>", methods=["PATCH"])
@require()
@blp.arguments(VersionWriteSchema)
@blp.response(200, ResourceDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def patch_version(args, resource_id: int, lang: str):
    """Edit a language version; `status` sends it for review, publishes or unpublishes it."""
    resource = db.session.get(Resource, resource_id) or abort(404)
    if resource.version_in(lang) is None:
        abort(404)
    with _action():
        version = _write_version(resource, lang, args)
    return item(resource, version, version.language, detail=True)
