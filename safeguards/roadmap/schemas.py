"""marshmallow schemas of the roadmap API: pilots, a roadmap with its actions, and what the team, owners
and independent reviewers send."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from consortium.i18n import LANGUAGES
from consortium.pagination import page_argument
from consortium.schemas import Link, PlainText, SingleLine
from safeguards.roadmap.actions import MAX_REASON, MAX_TEXT, MAX_TITLE
from safeguards.roadmap.models import COMPLETION, RESULTS, ActionState
from safeguards.roadmap.reviews import MAX_JUSTIFICATION
from safeguards.roadmap.tracking import MAX_NARRATIVE

STATES = [s.value for s in ActionState]
CODE = fields.Str(validate=[validate.Length(max=16), SingleLine()])


class LanguageQuerySchema(Schema):
    lang = fields.Str(
        load_default=None,
        validate=validate.OneOf(list(LANGUAGES)),
        metadata={"description": "es, pt_BR or en; without it, the Accept-Language header decides"},
    )


class PilotQuerySchema(Schema):
    page = page_argument()
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


class PilotSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    system = fields.Str(metadata={"description": "The DPI system's slug (kernel reference data)"})
    country = fields.Str()


class PilotPageSchema(Schema):
    items = fields.List(fields.Nested(PilotSchema))
    page = fields.Int()
    per_page = fields.Int()
    more = fields.Bool(metadata={"description": "True when a next page exists"})


class MilestoneSchema(Schema):
    title = fields.Str()
    due_on = fields.Date(allow_none=True)
    is_done = fields.Bool(allow_none=True, metadata={"description": "Null in a frozen version"})


class UpdateSchema(Schema):
    id = fields.Int()
    state = fields.Str(metadata={"description": "The action's state once the update was posted"})
    narrative = fields.Str()
    links = fields.List(fields.Str())
    created_at = fields.AwareDateTime()


class RatingSchema(Schema):
    organisation = fields.Str(metadata={"description": "The reviewer's organisation (never their e-mail)"})
    completion = fields.Int(metadata={"description": "0-4"})
    completion_label = fields.Str()
    results = fields.Int(metadata={"description": "Early results, 0-4"})
    results_label = fields.Str()
    justification = fields.Str()
    rated_at = fields.AwareDateTime()


class ActionSchema(Schema):
    id = fields.Int()
    version = fields.Int(
        allow_none=True, metadata={"description": "Send it back to PATCH; null for public readers"}
    )
    state = fields.Str(allow_none=True, metadata={"description": "Null once the action was removed"})
    priority = fields.Str(metadata={"description": "The process code of its priority"})
    title = fields.Str()
    language = fields.Str(metadata={"description": "The language of the title"})
    is_fallback = fields.Bool(
        metadata={"description": "True when the title is not in the requested language"}
    )
    processes = fields.List(fields.Str())
    principles = fields.List(fields.Str())
    risks = fields.List(fields.Str())
    authority = fields.Str()
    owner = fields.Str(metadata={"description": "The owner organisation's name"})
    co_owners = fields.List(fields.Str())
    starts_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema))
    latest_update = fields.Nested(UpdateSchema, allow_none=True)
    independent_ratings = fields.List(fields.Nested(RatingSchema))


class PrioritySchema(Schema):
    code = fields.Str()
    urgency = fields.Int(allow_none=True)
    feasibility = fields.Int(allow_none=True)
    rationale = fields.Str()


class RoadmapSchema(Schema):
    id = fields.Int()
    pilot = fields.Int()
    cycle = fields.Int()
    state = fields.Str(metadata={"description": "draft, validated or revising"})
    version = fields.Int(allow_none=True, metadata={"description": "The last validated version's number"})
    validated_at = fields.AwareDateTime(allow_none=True)
    is_public_view = fields.Bool(
        metadata={"description": "True when this is the public view: the last validated version only"}
    )
    priorities = fields.List(fields.Nested(PrioritySchema))
    actions = fields.List(fields.Nested(ActionSchema))


def _texts(**kwargs):
    return fields.Dict(
        keys=fields.Str(validate=validate.OneOf(list(LANGUAGES))),
        values=fields.Str(validate=[validate.Length(max=kwargs.pop("max")), *kwargs.pop("checks")]),
        **kwargs,
    )


class ActionFieldsSchema(Schema):
    """An action's plan, as the HTML form takes it (the same rules apply)."""

    title = _texts(max=MAX_TITLE, checks=[SingleLine()], metadata={"description": "{language: text}"})
    description = _texts(max=MAX_TEXT, checks=[PlainText()])
    processes = fields.List(CODE)
    principles = fields.List(CODE)
    risks = fields.List(CODE)
    authority = CODE
    owner_id = fields.Int(validate=validate.Range(min=1, max=2**31 - 1))
    co_owner_ids = fields.List(fields.Int(validate=validate.Range(min=1, max=2**31 - 1)))
    starts_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    measurable_outcome = fields.Str(validate=[validate.Length(max=MAX_TEXT), PlainText()])
    is_verifiable = fields.Bool()


class ActionInputSchema(ActionFieldsSchema):
    priority = fields.Str(
        required=True,
        validate=[validate.Length(max=16), SingleLine()],
        metadata={"description": "The process code of a chosen priority"},
    )


class ActionPatchSchema(ActionFieldsSchema):
    version = fields.Int(
        required=True,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "The version read: 409 when someone saved it since"},
    )
    state = fields.Str(validate=validate.OneOf(STATES), metadata={"description": "Move it to this state"})
    reason = fields.Str(
        validate=[validate.Length(max=MAX_REASON), PlainText()],
        metadata={"description": "Needed to drop it (shown publicly)"},
    )


class UpdateInputSchema(Schema):
    narrative = fields.Str(required=True, validate=[validate.Length(max=MAX_NARRATIVE), PlainText()])
    links = fields.List(
        fields.Str(validate=[validate.Length(max=2000), SingleLine(), Link()]),
        load_default=list,
        metadata={"description": "Links to evidence"},
    )
    state = fields.Str(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(STATES),
        metadata={"description": "The action's state after this update (the current one when left out)"},
    )


class RatingInputSchema(Schema):
    completion = fields.Int(required=True, validate=validate.OneOf(list(COMPLETION)))
    results = fields.Int(
        required=True, validate=validate.OneOf(list(RESULTS)), metadata={"description": "Early results"}
    )
    justification = fields.Str(required=True, validate=[validate.Length(max=MAX_JUSTIFICATION), PlainText()])
