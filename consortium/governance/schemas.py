"""marshmallow schemas for the governance API (and later its open-data exports)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from consortium.i18n import LANGUAGES
from consortium.pagination import page_argument


class LanguageQuerySchema(Schema):
    lang = fields.Str(
        load_default=None,
        validate=validate.OneOf(list(LANGUAGES)),
        metadata={"description": "es, pt_BR or en"},
    )


class SpaceQuerySchema(LanguageQuerySchema):
    page = page_argument()
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


class SeatSchema(Schema):
    name = fields.Str()
    organisation = fields.Str()
    sector = fields.Str()
    role = fields.Str()
    term_starts_on = fields.Date()
    term_ends_on = fields.Date(allow_none=True)
    interests = fields.Str(metadata={"description": "The conflict-of-interest declaration"})


class ConsultationItemSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    language = fields.Str()
    state = fields.Str(metadata={"description": "open or closed (drafts are not listed)"})
    url = fields.Str()


class SpaceItemSchema(Schema):
    slug = fields.Str()
    title = fields.Str()
    language = fields.Str(metadata={"description": "The language of title and charter"})
    is_fallback = fields.Bool(metadata={"description": "True when they are not in the requested language"})
    system = fields.Str(metadata={"description": "The DPI system's slug (kernel reference data)"})
    countries = fields.List(fields.Str())
    languages = fields.List(fields.Str())
    stage = fields.Str()
    state = fields.Str()
    url = fields.Str()


class SpaceDetailSchema(SpaceItemSchema):
    charter = fields.Str()
    seats = fields.List(fields.Nested(SeatSchema))
    consultations = fields.List(fields.Nested(ConsultationItemSchema))


class SpacePageSchema(Schema):
    items = fields.List(fields.Nested(SpaceItemSchema))
    page = fields.Int()
    per_page = fields.Int()
    more = fields.Bool(metadata={"description": "True when a next page exists"})


class ResponseSchema(Schema):
    disposition = fields.Str(metadata={"description": "accepted, partly or not_accepted"})
    reason = fields.Str()
    answered_at = fields.DateTime()


class ContributionSchema(Schema):
    id = fields.Int()
    section = fields.Int(metadata={"description": "The section's position in the document"})
    author = fields.Str(allow_none=True)
    organisation = fields.Str(allow_none=True)
    body = fields.Str()
    revision = fields.Int()
    created_at = fields.DateTime()
    response = fields.Nested(
        ResponseSchema,
        allow_none=True,
        metadata={"description": "The official response, public once the consultation closes"},
    )


class SectionSchema(Schema):
    position = fields.Int()
    heading = fields.Str()
    body = fields.Str()


class ConsultationDetailSchema(ConsultationItemSchema):
    space = fields.Str(metadata={"description": "The space's slug"})
    revision = fields.Int()
    sections = fields.List(fields.Nested(SectionSchema))
    contributions = fields.List(fields.Nested(ContributionSchema))
