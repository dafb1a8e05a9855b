from marshmallow import Schema, fields

from consortium.organisations.models import OrganisationKind
from consortium.reference.countries import country_name
from consortium.schemas import SingleLine


class OrganisationSchema(Schema):
    id = fields.Int(dump_only=True)
    slug = fields.Str(dump_only=True)
    name = fields.Str()
    country = fields.Str(metadata={"description": "ISO 3166-1 alpha-2 code"})
    country_name = fields.Function(lambda o: country_name(o.country), dump_only=True)
    city = fields.Str()
    kind = fields.Function(lambda o: o.kind.value)
    focus_areas = fields.List(fields.Str())
    website = fields.Str()
    description = fields.Str()
    is_consortium_member = fields.Bool(dump_only=True)
    is_verified = fields.Bool(dump_only=True)


class OrganisationQuerySchema(Schema):
    country = fields.Str(
        load_default=None, validate=SingleLine(), metadata={"description": "ISO 3166-1 alpha-2 code"}
    )
    kind = fields.Enum(OrganisationKind, by_value=True, load_default=None)
