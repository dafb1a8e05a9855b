"""API schemas. Counters and registration states are dump-only: never read from a request."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from consortium.i18n import LANGUAGES, current_language
from consortium.i18n import lazy_gettext as _l
from consortium.inputs import Id
from consortium.pagination import page_argument
from consortium.reference import principles
from consortium.schemas import Link, PlainText, SingleLine
from consortium.text import WEB_SCHEMES
from trainings.models import ApprovalMode, Modality, TrainingState, TrainingTopic


def _title(training) -> str:
    return training.text("title", current_language())[0]


class SessionSchema(Schema):
    id = fields.Int(dump_only=True)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()


class TrainingSchema(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Function(_title, dump_only=True, metadata={"description": "In the reader's language"})
    titles = fields.Dict(attribute="title", dump_only=True)
    summary = fields.Function(lambda t: t.text("summary", current_language())[0], dump_only=True)
    language = fields.Str(dump_only=True)
    instruction_language = fields.Str(dump_only=True)
    modality = fields.Function(lambda t: t.modality.value, dump_only=True)
    approval = fields.Function(lambda t: t.approval.value, dump_only=True)
    state = fields.Function(lambda t: t.state.value, dump_only=True)
    timezone = fields.Str(dump_only=True)
    starts_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    ends_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    sessions = fields.List(fields.Nested(SessionSchema), dump_only=True)
    capacity = fields.Int(dump_only=True)
    seats_left = fields.Int(dump_only=True)
    country = fields.Str(dump_only=True)
    city = fields.Str(dump_only=True)
    topics = fields.List(fields.Str(), dump_only=True)
    principles = fields.List(fields.Str(), dump_only=True)
    organiser = fields.Function(lambda t: t.organiser.name, dump_only=True)


class SessionInputSchema(Schema):
    starts_at = fields.AwareDateTime(required=True, metadata={"example": "2030-05-06T14:00:00+00:00"})
    ends_at = fields.AwareDateTime(required=True, metadata={"example": "2030-05-06T16:00:00+00:00"})


class TrainingInputSchema(Schema):
    """What staff may set. Unknown fields (confirmed_count, seats_left...) are ignored."""

    class Meta:
        unknown = EXCLUDE

    title = fields.Str(validate=[validate.Length(min=1, max=200), SingleLine()], required=True)
    summary = fields.Str(validate=[validate.Length(max=600), PlainText()])
    starts_at = fields.AwareDateTime(
        metadata={
            "example": "2030-05-06T14:00:00+00:00",
            "description": "With ends_at, a training of one session; or send sessions instead",
        }
    )
    ends_at = fields.AwareDateTime(metadata={"example": "2030-05-06T16:00:00+00:00"})
    sessions = fields.List(
        fields.Nested(SessionInputSchema),
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "Every session (replacing the training's); none may overlap or be new and past"
        },
    )
    timezone = fields.Str(
        required=True,
        validate=SingleLine(),
        metadata={"description": "An IANA time zone", "example": "America/Bogota"},
    )
    capacity = fields.Int(required=True, validate=validate.Range(min=1, max=10000))
    modality = fields.Str(required=True, validate=validate.OneOf([m.value for m in Modality]))
    language = fields.Str(required=True, validate=validate.OneOf(list(LANGUAGES)))
    approval = fields.Str(load_default="automatic", validate=validate.OneOf([a.value for a in ApprovalMode]))
    state = fields.Str(load_default="draft", validate=validate.OneOf([s.value for s in TrainingState]))
    country = fields.Str(validate=[validate.Length(equal=2), SingleLine()])
    city = fields.Str(validate=[validate.Length(max=120), SingleLine()])
    venue = fields.Str(validate=[validate.Length(max=300), SingleLine()])
    online_url = fields.Url(validate=[validate.Length(max=500), Link(WEB_SCHEMES)])
    topics = fields.List(fields.Str(validate=validate.OneOf([t.value for t in TrainingTopic])))
    principles = fields.List(fields.Str(validate=validate.OneOf(principles.CODES)))
    seats_per_organisation = fields.Int(allow_none=True, validate=validate.Range(min=1, max=10000))
    organiser_id = Id()

    @validates_schema
    def check_times(self, data, **kwargs):
        from zoneinfo import available_timezones

        if "timezone" in data and data["timezone"] not in available_timezones():
            raise ValidationError("Unknown time zone.", "timezone")
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("ends_at must be after starts_at.", "ends_at")
        if (
            not self.partial
            and "sessions" not in data
            and not (data.get("starts_at") and data.get("ends_at"))
        ):
            raise ValidationError(str(_l("Give starts_at and ends_at, or sessions.")), "starts_at")


class TrainingPatchSchema(TrainingInputSchema):
    """The same fields as for creating; only those sent change."""


class TrainingQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    topic = fields.Enum(TrainingTopic, by_value=True, load_default=None)
    modality = fields.Enum(Modality, by_value=True, load_default=None)
    country = fields.Str(
        load_default=None, validate=SingleLine(), metadata={"description": "ISO 3166-1 alpha-2 code"}
    )
    language = fields.Str(load_default=None, validate=validate.OneOf(list(LANGUAGES)))
    past = fields.Bool(load_default=False)
    page = page_argument()


class RegistrationSchema(Schema):
    id = fields.Int(dump_only=True)
    training_id = fields.Int(dump_only=True)
    user_id = fields.Int(dump_only=True)
    person = fields.Function(lambda r: r.user.name, dump_only=True)
    organisation_id = fields.Int(dump_only=True, allow_none=True)
    state = fields.Function(lambda r: r.state.value, dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    confirmed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class RegistrationInputSchema(Schema):
    """The caller's answers. A ``state`` or ``user_id`` in the request is ignored."""

    class Meta:
        unknown = EXCLUDE

    organisation_id = Id(load_default=None, allow_none=True)
    motivation = fields.Str(load_default="", validate=[validate.Length(max=2000), PlainText()])
    accessibility_needs = fields.Str(load_default="", validate=[validate.Length(max=1000), PlainText()])
    dietary_needs = fields.Str(load_default="", validate=[validate.Length(max=500), PlainText()])
