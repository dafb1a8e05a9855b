"""Civil-society organisations, their people and invitations."""

from flask import Flask

from consortium import extensions, worklist
from consortium.organisations import providers
from consortium.organisations.api import blp as api_blp
from consortium.organisations.models import Organisation
from consortium.organisations.policies import organisation_policy
from consortium.organisations.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_policy(Organisation, organisation_policy)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    worklist.register("organisations", providers.to_verify)
    worklist.register_section("organisations", providers.my_organisations)
    worklist.register_section("invitations", providers.my_invitations)
