"""One search interface, two engines: SQLite FTS5 by default, PostgreSQL full text in production.

Both ignore case and accents in the text and in the query ("informacion" finds "información"):
- SQLite: an external-content FTS5 table ``resource_versions_fts`` tokenised with
  ``unicode61 remove_diacritics 2``, kept in step with ``resource_versions`` by triggers.
- PostgreSQL: a stored ``search_vector`` column on ``resource_versions`` computed by
  ``library_search_vector(language, title, summary, body)``: ``unaccent`` then the version's own
  text search configuration (spanish, portuguese, english), title weighted above summary above body;
  a GIN index serves the match. The query is stemmed in the three configurations and OR-ed.
  ``library_search_matches(query)`` returns the published matches with their rank: it matches through
  the index only (planned without sequential scans: reading the large vector row by row costs far more
  than the planner believes) and ranks ``search_rank_vector``, the title and summary alone, so no
  match's whole-text vector is read (a guide matched only in its body ranks last). The body and the
  whole-text vector live out of line (TOAST, migration ``speed_0002``): matched rows are narrow.

The FTS objects are created by the library's migration and ignored by ``flask db check``
(see ``migrations/env.py``). Listing and searching share the filters and the pagination, and run
a fixed number of statements (page, its resources, a count) whatever the number of resources.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, defer

from consortium import pagination
from consortium.db import db
from consortium.library.models import (
    FACET_COUNTRY,
    FACET_LANGUAGE,
    FACET_PRINCIPLE,
    FACET_SYSTEM,
    FACET_TOPIC,
    Resource,
    ResourceKind,
    ResourceTag,
    ResourceVersion,
    VersionStatus,
)

#: Names of the objects the migration creates by hand (migrations/env.py skips them when comparing).
FTS_TABLE = "resource_versions_fts"
PG_VECTOR_INDEX = "ix_resource_versions_search_vector"
PG_MATCHES_FUNCTION = "library_search_matches"

PER_PAGE = 20
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Filters:
    language: str
    text: str = ""
    kind: str | None = None
    topic: str | None = None
    country: str | None = None
    system: str | None = None
    principle: str | None = None
    available_in: str | None = None
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class Hit:
    resource: Resource
    version: ResourceVersion

    @property
    def is_fallback(self) -> bool:
        return self.version.language != self.language

    language: str = ""


@dataclass
class Page(pagination.Page):
    """The kernel's page of results, with what the search was for."""

    language: str = ""
    query: str = ""
    extra: dict = field(default_factory=dict)


def terms(text: str) -> list[str]:
    return _WORD.findall(text or "")[:12]


@functools.cache
def display_version_id(language: str, resource=Resource):
    """The published version a reader of ``language`` sees of ``resource`` (the table, or an alias of
    a chosen few): theirs, else the original, else any.

    Three correlated lookups on the (resource_id, language) unique index: SQLite cannot resolve an
    outer column inside a correlated subquery's ORDER BY, so no "ORDER BY preference LIMIT 1" here.
    Built once per worker and language (an immutable expression): building it took longer than
    running it.
    """

    def published(*conditions):
        candidate = aliased(ResourceVersion)
        return (
            sa.select(sa.func.min(candidate.id))
            .where(
                candidate.resource_id == resource.id,
                candidate.status == VersionStatus.PUBLISHED,
                *[condition(candidate) for condition in conditions],
            )
            .correlate(resource)
            .scalar_subquery()
        )

    return sa.func.coalesce(
        published(lambda v: v.language == language),
        published(lambda v: v.language == resource.original_language),
        published(),
    )


def _tagged(facet: str, value):
    return sa.exists().where(
        ResourceTag.resource_id == Resource.id, ResourceTag.facet == facet, ResourceTag.value == value
    )


def _chosen_filters(filters: Filters) -> dict:
    """{bind parameter: value} of the filters in use: the kind, and each tag facet by its name."""
    chosen: dict = {}
    if filters.kind and filters.kind in ResourceKind._value2member_map_:
        chosen["kind"] = ResourceKind(filters.kind)
    for facet, value in (
        (FACET_TOPIC, filters.topic),
        (FACET_COUNTRY, filters.country),
        (FACET_SYSTEM, filters.system),
        (FACET_PRINCIPLE, filters.principle),
        (FACET_LANGUAGE, filters.available_in),
    ):
        if value:
            chosen[facet] = value
    return chosen


def _conditions_for(names) -> list:
    """The conditions of the filters named in ``names``, their values bound by name."""
    conditions = [Resource.last_published_at.is_not(None)]
    for name in names:
        if name == "kind":
            conditions.append(Resource.kind == sa.bindparam("kind", type_=Resource.__table__.c.kind.type))
        else:
            conditions.append(_tagged(name, sa.bindparam(name)))
    return conditions


def _matches(text: str, language: str):
    """(resource_id, score) of resources whose reader-visible versions match; lower score is better.

    A resource is searched in the reader's language, or in every published language when it has
    none in the reader's language (so an English-only guide is still found by its English words).
    """
    words = terms(text)
    if db.engine.dialect.name == "postgresql":
        query = " ".join(words)
        tsquery = (
            "(websearch_to_tsquery('spanish', library_unaccent(:q))"
            " || websearch_to_tsquery('portuguese', library_unaccent(:q))"
            " || websearch_to_tsquery('english', library_unaccent(:q)))"
        )
        candidates = (
            sa.text(f"SELECT resource_id, language, status, score FROM {PG_MATCHES_FUNCTION}({tsquery})")  # noqa: S608 - constants only
            .bindparams(q=query)
            .columns(resource_id=sa.Integer, language=sa.String, status=sa.String, score=sa.Float)
            .subquery("candidates")
        )
    else:
        quoted = [f'"{word}"' for word in words]
        quoted[-1] += "*"  # the last word may still be being typed: match it as a prefix
        engine_matches = (
            sa.text(
                f"SELECT rowid AS version_id, rank AS score "  # noqa: S608 - constants only
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
            )
            .bindparams(q=" ".join(quoted))
            .columns(version_id=sa.Integer, score=sa.Float)
            .subquery("engine_matches")
        )
        candidates = (
            sa.select(
                ResourceVersion.resource_id,
                ResourceVersion.language,
                ResourceVersion.status,
                engine_matches.c.score,
            )
            .join(engine_matches, engine_matches.c.version_id == ResourceVersion.id)
            .subquery("candidates")
        )
    has_reader_language = sa.exists().where(
        ResourceTag.resource_id == candidates.c.resource_id,
        ResourceTag.facet == FACET_LANGUAGE,
        ResourceTag.value == language,
    )
    return (
        sa.select(candidates.c.resource_id, sa.func.min(candidates.c.score).label("score"))
        .where(
            candidates.c.status == VersionStatus.PUBLISHED.value,
            sa.or_(candidates.c.language == language, ~has_reader_language),
        )
        .group_by(candidates.c.resource_id)
        .subquery("matches")
    )


def search(filters: Filters) -> Page:
    """Published resources for a reader of ``filters.language``: newest first, or by relevance with text.

    The page is chosen first (ids, sort key and, with text, the total), then its resources are loaded
    with the version to show, looked up for those ids only: a literal list of at most one page of ids,
    so no planner can decide to look up the version to show for every resource. Searching costs two
    statements, listing two (the page with its versions, and the count).
    """
    language = filters.language
    bound = _chosen_filters(filters)
    conditions = _conditions_for(bound)
    page = max(1, filters.page)
    has_text = bool(terms(filters.text))

    offset = (page - 1) * filters.per_page
    if has_text:
        # Every match is ranked anyway, so the total comes with the page as a window function (one pass).
        matches = _matches(filters.text, language)
        chosen = sa.select(matches.c.resource_id, sa.func.count().over().label("total"))
        if bound:  # a match has a published version, so only other filters need the resource itself
            chosen = chosen.join(Resource, Resource.id == matches.c.resource_id).where(*conditions)
        chosen = (
            chosen.order_by(matches.c.score, matches.c.resource_id.desc())
            .limit(filters.per_page)
            .offset(offset)
        )
        rows = db.session.execute(chosen, bound).all()
        items = _hits([row.resource_id for row in rows], language)
    else:
        # The newest page comes off the last_published_at index, with its versions, in one statement;
        # a separate count is cheaper than a window that would have to visit every row.
        window = {"limit": filters.per_page, "offset": offset}
        items = _listed(language, tuple(bound), {**bound, **window})
    if has_text and rows:
        total = rows[0].total
    elif has_text and page == 1:
        total = 0
    else:  # no text, or past the last page of results
        counted = sa.select(Resource.id).where(*conditions)
        if has_text:
            counted = counted.join(matches, matches.c.resource_id == Resource.id)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(counted.subquery()), bound)
    return Page(
        items=items,
        total=total or 0,
        page=page,
        per_page=filters.per_page,
        language=language,
        query=filters.text,
    )


def _listed(language: str, names: tuple, parameters: dict) -> list[Hit]:
    """The newest page of resources with the version each reader sees, in one statement."""
    rows = db.session.execute(_listing(language, names), parameters).all()
    return [Hit(resource=resource, version=version, language=language) for resource, version in rows]


@functools.cache
def _listing(language: str, names: tuple):
    """The newest page of resources filtered by ``names``, each with the version its reader sees. One
    statement per language and set of filters in use, built once per worker."""
    return newest_with_shown_versions(
        sa.select(Resource)
        .where(*_conditions_for(names))
        .order_by(Resource.last_published_at.desc(), Resource.id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer)),
        language,
    )


def newest_with_shown_versions(chosen: sa.Select, language: str) -> sa.Select:
    """The resources ``chosen`` (a limited select of them), newest first, each with the version a reader
    of ``language`` sees, looked up for the chosen rows only: joined before the limit, that lookup ran
    for every published resource (14 ms for the list and 27 ms for the suggestions, on the bench's 3,500).
    Cache what this builds: each call makes a new alias, and ``display_version_id`` keeps one per alias.
    """
    resource = aliased(Resource, chosen.subquery("chosen"))
    return (
        sa.select(resource, ResourceVersion)
        .join(ResourceVersion, ResourceVersion.resource_id == resource.id)
        .where(ResourceVersion.id == display_version_id(language, resource))
        .options(defer(ResourceVersion.body))
        .order_by(resource.last_published_at.desc(), resource.id.desc())
    )


def _hits(resource_ids: list[int], language: str) -> list[Hit]:
    """The resources of one page, in the page's order, each with the version its reader sees."""
    if not resource_ids:
        return []
    rows = db.session.execute(_hits_statement(language), {"ids": resource_ids}).all()
    by_id = {resource.id: (resource, version) for resource, version in rows}
    return [
        Hit(resource=by_id[rid][0], version=by_id[rid][1], language=language)
        for rid in resource_ids
        if rid in by_id
    ]


@functools.cache
def _hits_statement(language: str):
    return (
        sa.select(Resource, ResourceVersion)
        .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
        .where(
            Resource.id.in_(sa.bindparam("ids", expanding=True)),
            ResourceVersion.id == display_version_id(language),
        )
        .options(defer(ResourceVersion.body))
    )
