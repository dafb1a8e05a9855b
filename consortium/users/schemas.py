from marshmallow import Schema, fields


class MembershipSchema(Schema):
    organisation = fields.Function(
        lambda m: m.organisation.slug, metadata={"description": "Organisation slug"}
    )
    role = fields.Function(lambda m: m.role.value)


class UserSchema(Schema):
    id = fields.Int(dump_only=True)
    email = fields.Email(dump_only=True)
    name = fields.Str(dump_only=True)
    role = fields.Function(lambda u: u.role.value, dump_only=True)
    locale = fields.Str(dump_only=True, allow_none=True)
    timezone = fields.Function(lambda u: u.effective_timezone, dump_only=True)
    has_two_factor = fields.Bool(attribute="has_totp", dump_only=True)
    memberships = fields.List(fields.Nested(MembershipSchema), dump_only=True)
