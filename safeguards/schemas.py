"""marshmallow schemas for the API and the open-data exports."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from consortium.errors import ErrorSchema
from consortium.i18n import LANGUAGES
from consortium.schemas import Link, PlainText, SingleLine


def _names():
    return fields.Dict(keys=fields.Str(validate=validate.OneOf(list(LANGUAGES))), values=fields.Str())


class CodeNameSchema(Schema):
    code = fields.Str()
    name = _names()


class PrincipleSchema(CodeNameSchema):
    category = fields.Function(lambda p: p.category.value)
    summary = _names()


class RiskSchema(CodeNameSchema):
    category = fields.Str()


class AuthoritySchema(CodeNameSchema):
    description = _names()


class ProcessSchema(Schema):
    code = fields.Str()
    display_code = fields.Str()
    principle = fields.Str()
    title = _names()
    question = _names()
    evidence = _names()
    authorities = fields.List(fields.Str(), metadata={"description": "Confirmed attributions"})
    inferred_authorities = fields.List(fields.Str(), metadata={"description": "Provisional attributions"})
    stages = fields.List(fields.Str())
    risks = fields.List(fields.Str())
    source_url = fields.Str()


class FrameworkSchema(Schema):
    version = fields.Str()
    name = _names()
    licence = fields.Str()
    attribution = fields.Str()
    coverage_note = _names()
    processes_in_reference = fields.Int()
    estimated_total = fields.Int()
    principles = fields.List(fields.Nested(PrincipleSchema))
    risks = fields.List(fields.Nested(RiskSchema))
    authorities = fields.List(fields.Nested(AuthoritySchema))
    stages = fields.List(fields.Nested(CodeNameSchema))
    processes = fields.List(fields.Nested(ProcessSchema))


class AnswerSchema(Schema):
    process = fields.Str()
    principle = fields.Str()
    in_scope = fields.Bool()
    status = fields.Str(metadata={"description": "rated | not_applicable | unknown | unanswered"})
    rating = fields.Int(allow_none=True)
    justification = fields.Str()
    evidence = fields.Str()
    links = fields.Str()
    confidence = fields.Str()
    reviewed_rating = fields.Int(allow_none=True)
    reviewer_comment = fields.Str()
    version = fields.Int()
    updated_at = fields.DateTime()


class AssessmentSummarySchema(Schema):
    id = fields.Int()
    pilot = fields.Str()
    system = fields.Str()
    country = fields.Str()
    cycle = fields.Int()
    framework_version = fields.Str()
    state = fields.Str()
    authorities = fields.List(fields.Str())
    stages = fields.List(fields.Str())
    version = fields.Int()
    published_at = fields.DateTime(allow_none=True)
    licence = fields.Str(allow_none=True)
    withdrawn_at = fields.DateTime(
        allow_none=True, metadata={"description": "Set once published results were withdrawn"}
    )
    withdrawal_reason = fields.Str(metadata={"description": "Why they were withdrawn (public)"})


class AssessmentSchema(AssessmentSummarySchema):
    answers = fields.List(fields.Nested(AnswerSchema))


class AnswerInputSchema(Schema):
    status = fields.Str(
        required=True, validate=validate.OneOf(["rated", "not_applicable", "unknown", "unanswered"])
    )
    rating = fields.Int(load_default=None, allow_none=True, validate=validate.Range(0, 4))
    justification = fields.Str(load_default="", validate=PlainText())
    evidence = fields.Str(load_default="", validate=PlainText())
    links = fields.Str(load_default="", validate=[PlainText(), Link(many=True)])
    confidence = fields.Str(load_default="", validate=SingleLine())


class CurrentAnswerSchema(Schema):
    version = fields.Int()
    status = fields.Str()
    rating = fields.Int(allow_none=True)


class StaleAnswerErrorSchema(ErrorSchema):
    current = fields.Nested(CurrentAnswerSchema, metadata={"description": "The answer as saved now"})


class ScoreSetSchema(Schema):
    overall = fields.Float(allow_none=True)
    foundational = fields.Float(allow_none=True)
    operational = fields.Float(allow_none=True)
    level = fields.Str(allow_none=True)
    red_flag = fields.Bool()
    principles = fields.Dict(keys=fields.Str(), values=fields.Float(allow_none=True))
    risks = fields.Dict(keys=fields.Str(), values=fields.Float(allow_none=True))


class ScoresSchema(Schema):
    self_ = fields.Nested(ScoreSetSchema, data_key="self")
    reviewed = fields.Nested(ScoreSetSchema)
