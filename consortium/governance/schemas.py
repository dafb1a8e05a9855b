"""marshmallow schemas for the governance API (and later its open-data exports)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from consortium.forms import REQUIRED
from consortium.governance.contribution_models import ContributionKind, Disposition
from consortium.governance.services.errors import RationaleRequired
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.inputs import Id
from consortium.pagination import page_argument
from consortium.schemas import Link, PlainText
from consortium.text import WEB_SCHEMES


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
    state = fields.Str(
        metadata={
            "description": "scheduled, open, closed, responding, published or archived "
            "(drafts are not listed)"
        }
    )
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


class MeetingItemSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    kind = fields.Str(
        metadata={"description": "plenary, working_group, public_hearing or validation_workshop"}
    )
    format = fields.Str(metadata={"description": "online, in_person or hybrid"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    cancelled_at = fields.DateTime(allow_none=True)
    minutes_published_at = fields.DateTime(allow_none=True)
    url = fields.Str()


class DecisionItemSchema(Schema):
    id = fields.Int()
    kind = fields.Str(metadata={"description": "validation, resolution, recommendation or priority_ranking"})
    method = fields.Str(metadata={"description": "consensus or vote"})
    text = fields.Str()
    language = fields.Str()
    decided_at = fields.DateTime()
    meeting_id = fields.Int(allow_none=True)
    url = fields.Str()


class SpaceDetailSchema(SpaceItemSchema):
    charter = fields.Str()
    seats = fields.List(fields.Nested(SeatSchema))
    consultations = fields.List(fields.Nested(ConsultationItemSchema))
    meetings = fields.List(fields.Nested(MeetingItemSchema))
    decisions = fields.List(fields.Nested(DecisionItemSchema))


class SpacePageSchema(Schema):
    items = fields.List(fields.Nested(SpaceItemSchema))
    page = fields.Int()
    per_page = fields.Int()
    more = fields.Bool(metadata={"description": "True when a next page exists"})


class ResponseSchema(Schema):
    disposition = fields.Str(
        metadata={
            "description": "accepted, partially_accepted, under_evaluation, not_accepted, "
            "out_of_scope or referred"
        }
    )
    rationale = fields.Str()
    commitment = fields.Str(metadata={"description": "What the institution will do because of it"})
    commitment_link = fields.Str(metadata={"description": "Where the commitment is followed (an address)"})
    published_at = fields.DateTime(
        allow_none=True, metadata={"description": "Null while the responses are not published yet"}
    )


class DraftedResponseSchema(ResponseSchema):
    id = fields.Int()
    contributions = fields.List(fields.Int(), metadata={"description": "The contributions it answers"})
    approved_at = fields.DateTime(allow_none=True)


class ResponseCreateSchema(Schema):
    disposition = fields.Str(required=True, validate=validate.OneOf([d.value for d in Disposition]))
    rationale = fields.Str(load_default="", validate=[validate.Length(max=10_000), PlainText()])
    commitment = fields.Str(load_default="", validate=[validate.Length(max=5000), PlainText()])
    commitment_link = fields.Str(
        load_default="",
        validate=[validate.Length(max=500), Link(WEB_SCHEMES)],
        metadata={"description": "An http(s) address, for example a roadmap action's"},
    )
    also = fields.List(
        fields.Int(validate=validate.Range(min=1, max=2**31 - 1)),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "Ids of similar contributions of the same consultation it also answers"},
    )

    @validates_schema
    def _rationale(self, data, **kwargs):
        if data.get("disposition") != Disposition.ACCEPTED.value and not data.get("rationale", "").strip():
            raise ValidationError(str(RationaleRequired.message), "rationale")


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
        metadata={"description": "The official response, public once the consultation publishes them"},
    )


class SectionSchema(Schema):
    position = fields.Int()
    heading = fields.Str()
    body = fields.Str()


class ConsultationDetailSchema(ConsultationItemSchema):
    space = fields.Str(metadata={"description": "The space's slug"})
    revision = fields.Int()
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    responses_due_at = fields.DateTime(allow_none=True)
    eligibility = fields.Str(
        metadata={"description": "Who may contribute: public, verified_organisations or members"}
    )
    moderation = fields.Str(
        metadata={"description": "pre (a moderator publishes each contribution) or post (hidden after)"}
    )
    sections = fields.List(fields.Nested(SectionSchema))
    contributions = fields.List(fields.Nested(ContributionSchema))


class ReportRowSchema(Schema):
    contribution_id = fields.Int()
    section = fields.Int(metadata={"description": "The section's position in the document"})
    section_heading = fields.Str()
    kind = fields.Str(allow_none=True)
    organisation = fields.Str(allow_none=True)
    summary = fields.Str()
    response = fields.Nested(ResponseSchema, allow_none=True)


class ReportSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    state = fields.Str()
    responses_published_at = fields.DateTime(allow_none=True)
    rows = fields.List(fields.Nested(ReportRowSchema))


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
