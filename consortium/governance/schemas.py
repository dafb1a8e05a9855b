"""marshmallow schemas for the governance API (and later its open-data exports)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from consortium.forms import REQUIRED
from consortium.governance.models import ContributionKind
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.inputs import Id
from consortium.pagination import page_argument
from consortium.schemas import Link, PlainText


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
    organisation = fields.Str(allow_none=True, metadata={"description": "Null when written personally"})
    kind = fields.Str(metadata={"description": "comment, proposal, objection or evidence"})
    language = fields.Str(metadata={"description": "es, pt_BR or en"})
    link = fields.Str(metadata={"description": "Evidence's source, or empty"})
    body = fields.Str()
    revision = fields.Int()
    created_at = fields.DateTime()
    visibility = fields.Str(
        metadata={"description": "published; pending or hidden only in the answer to its author"}
    )
    supports = fields.Int(metadata={"description": "How many people support it"})
    cosigners = fields.List(fields.Str(), metadata={"description": "The organisations that co-sign it"})
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
    eligibility = fields.Str(
        metadata={"description": "Who may contribute: public, verified_organisations or members"}
    )
    moderation = fields.Str(
        metadata={"description": "pre (a moderator publishes each contribution) or post (hidden after)"}
    )
    sections = fields.List(fields.Nested(SectionSchema))
    contributions = fields.List(fields.Nested(ContributionSchema))


# lists, so the errors stay lists of messages (a lazy string alone would not be taken for one)
REQUIRED_MESSAGES = {"required": [REQUIRED], "null": [REQUIRED]}
KINDS = [kind.value for kind in ContributionKind]


class ContributionInputSchema(Schema):
    """A contribution to one section. ``organisation_id`` (one of the caller's verified organisations)
    or null for a personal one; ``language`` defaults to the caller's."""

    class Meta:
        unknown = EXCLUDE

    section_id = Id(required=True, error_messages=REQUIRED_MESSAGES)
    kind = fields.Str(
        load_default=ContributionKind.COMMENT.value,
        validate=validate.OneOf(KINDS, error=_l("Choose comment, proposal, objection or evidence.")),
    )
    body = fields.Str(
        required=True,
        error_messages=REQUIRED_MESSAGES,
        validate=[
            validate.Length(min=1, max=10_000, error=_l("Write between 1 and 10,000 characters.")),
            PlainText(),
        ],
    )
    language = fields.Str(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(list(LANGUAGES), error=_l("Choose es, pt_BR or en.")),
    )
    organisation_id = Id(load_default=None, allow_none=True)
    link = fields.Str(
        load_default="",
        validate=[validate.Length(max=500, error=_l("Up to 500 characters.")), Link()],
        metadata={"description": "Only with kind evidence"},
    )


class SupportResultSchema(Schema):
    contribution_id = fields.Int()
    supports = fields.Int(metadata={"description": "How many people support it now"})
