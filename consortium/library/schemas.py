"""marshmallow schemas for the library API (and any open-data export of the catalogue)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import OTHER_SYSTEMS, ResourceKind
from consortium.pagination import page_argument
from consortium.reference import principles
from consortium.reference.systems import FORMER_SLUGS, system_names
from consortium.schemas import Link, PlainText, SingleLine
from consortium.text import WEB_SCHEMES

_LANGUAGE = validate.OneOf(list(LANGUAGES))


def _known_system(slug: str) -> None:
    """A slug of the kernel's DPI systems (staff keep that list), a former slug, or "other"."""
    if slug not in FORMER_SLUGS and slug != OTHER_SYSTEMS and slug not in system_names():
        raise ValidationError(_l("Unknown DPI system."))


_SYSTEM = [validate.Length(max=60), SingleLine(), _known_system]


class ResourceQuerySchema(Schema):
    lang = fields.Str(load_default=None, validate=_LANGUAGE, metadata={"description": "es, pt_BR or en"})
    q = fields.Str(load_default="", validate=[validate.Length(max=200), SingleLine()])
    kind = fields.Str(load_default=None, validate=validate.OneOf([k.value for k in ResourceKind]))
    topic = fields.Str(load_default=None, validate=SingleLine())
    country = fields.Str(
        load_default=None, validate=SingleLine(), metadata={"description": "ISO 3166-1 alpha-2 code"}
    )
    system = fields.Str(load_default=None, validate=_SYSTEM)
    principle = fields.Str(load_default=None, validate=validate.OneOf(list(principles.CODES)))
    available_in = fields.Str(load_default=None, validate=_LANGUAGE)
    page = page_argument()
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


class ResourceItemSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    requested_language = fields.Str()
    language = fields.Str(metadata={"description": "The language of title, summary and body"})
    is_fallback = fields.Bool(
        metadata={"description": "True when the resource is not published in the requested language"}
    )
    original_language = fields.Str()
    available_languages = fields.List(fields.Str())
    title = fields.Str()
    summary = fields.Str()
    slug = fields.Str()
    url = fields.Str()
    is_outdated = fields.Bool()
    topics = fields.List(fields.Str())
    countries = fields.List(fields.Str())
    systems = fields.List(fields.Str())
    principles = fields.List(fields.Str())
    authors = fields.List(fields.Str())
    organisation = fields.Str()
    licence = fields.Str()
    published_on = fields.Date(allow_none=True)
    source_url = fields.Str()
    attachment_url = fields.Str(allow_none=True)
    version = fields.Int(metadata={"description": "Send it back in PATCH to detect concurrent edits"})


class ResourceDetailSchema(ResourceItemSchema):
    body = fields.Str(metadata={"description": "Markdown"})
    body_html = fields.Str(metadata={"description": "Sanitised HTML"})


class ResourcePageSchema(Schema):
    items = fields.List(fields.Nested(ResourceItemSchema))
    total = fields.Int()
    page = fields.Int()
    pages = fields.Int()
    per_page = fields.Int()


class _ResourceFieldsSchema(Schema):
    kind = fields.Str(validate=validate.OneOf([k.value for k in ResourceKind]))
    topics = fields.List(fields.Str(validate=[validate.Length(max=32), SingleLine()]), data_key="topics")
    countries = fields.List(fields.Str(validate=[validate.Length(equal=2), SingleLine()]))
    systems = fields.List(fields.Str(validate=_SYSTEM))
    principles = fields.List(fields.Str(validate=validate.OneOf(list(principles.CODES))))
    authors = fields.List(fields.Str(validate=[validate.Length(max=200), SingleLine()]))
    organisation = fields.Str(validate=[validate.Length(max=200), SingleLine()])
    licence = fields.Str(validate=[validate.Length(max=60), SingleLine()])
    published_on = fields.Date(allow_none=True)
    source_url = fields.Url(validate=[validate.Length(max=500), Link(WEB_SCHEMES)])


class ResourceCreateSchema(_ResourceFieldsSchema):
    kind = fields.Str(required=True, validate=validate.OneOf([k.value for k in ResourceKind]))
    original_language = fields.Str(required=True, validate=_LANGUAGE)
    title = fields.Str(required=True, validate=[validate.Length(min=1, max=300), SingleLine()])
    summary = fields.Str(load_default="", validate=[validate.Length(max=1000), PlainText()])
    body = fields.Str(load_default="", validate=[validate.Length(max=200_000), PlainText()])
    slug = fields.Str(load_default="", validate=[validate.Length(max=120), SingleLine()])


class ResourcePatchSchema(_ResourceFieldsSchema):
    version = fields.Int(metadata={"description": "The version you read; 409 when someone saved since"})


class VersionWriteSchema(Schema):
    title = fields.Str(validate=[validate.Length(min=1, max=300), SingleLine()])
    summary = fields.Str(validate=[validate.Length(max=1000), PlainText()])
    body = fields.Str(validate=[validate.Length(max=200_000), PlainText()])
    slug = fields.Str(validate=[validate.Length(max=120), SingleLine()])
    version = fields.Int(metadata={"description": "The version you read; 409 when someone saved since"})
    status = fields.Str(
        validate=validate.OneOf(["in_review", "published", "draft"]),
        metadata={"description": "in_review sends it for review; published publishes (review rule applies)"},
    )


class VersionCreateSchema(VersionWriteSchema):
    language = fields.Str(required=True, validate=_LANGUAGE)
    title = fields.Str(required=True, validate=[validate.Length(min=1, max=300), SingleLine()])

    @validates_schema
    def _no_version(self, data, **kwargs):
        if "version" in data:
            raise ValidationError("A new version has no version number yet.", "version")
