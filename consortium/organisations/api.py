import sqlalchemy as sa
from flask import abort
from flask_smorest import Blueprint

from consortium.db import db
from consortium.organisations import services
from consortium.organisations.models import Organisation
from consortium.organisations.schemas import OrganisationQuerySchema, OrganisationSchema
from consortium.permissions import Permission, can, public

blp = Blueprint(
    "organisations_api", __name__, url_prefix="/api/v1", description="Civil-society organisations"
)


@blp.route("/organisations")
@public
@blp.arguments(OrganisationQuerySchema, location="query")
@blp.response(200, OrganisationSchema(many=True))
def list_organisations(args):
    """Verified organisations, consortium members first."""
    return db.session.scalars(services.list_organisations(country=args["country"], kind=args["kind"])).all()


@blp.route("/organisations/<slug>")
@public
@blp.response(200, OrganisationSchema)
def get_organisation(slug):
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not can(Permission.ORGANISATIONS_VIEW, organisation):
        abort(404)
    return organisation
