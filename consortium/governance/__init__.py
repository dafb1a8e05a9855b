"""Governance spaces: one per DPI system or pilot, seats for verified organisations by sector, and
consultations whose every contribution gets a reasoned official response. ``init_app`` registers its
pages, API, the followers' digest command, policies, audit labels, demo data and the convenor's "waiting
for you" items."""

from flask import Flask

from consortium import demo as kernel_demo
from consortium import extensions, personal_data, worklist
from consortium import seed as kernel_seed
from consortium.audit.labels import register as register_audit_labels
from consortium.governance import audit_labels, demo, policies, privacy, providers, seed
from consortium.governance.activity import SpaceEvent  # noqa: F401  (known before migrations run)
from consortium.governance.api import blp as api_blp
from consortium.governance.cli import governance_cli
from consortium.governance.contribution_models import Contribution, Response
from consortium.governance.models import Consultation, Space
from consortium.governance.records import Meeting  # noqa: F401  (the tables are known before migrations run)
from consortium.governance.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_audit_labels(actions=audit_labels.ACTIONS, objects=audit_labels.OBJECTS)
    register_policy(Space, policies.space_policy)
    register_policy(Consultation, policies.consultation_policy)
    register_policy(Contribution, policies.contribution_policy)
    register_policy(Response, policies.response_policy)
    app.register_blueprint(bp)
    app.cli.add_command(governance_cli)
    extensions.api.register_blueprint(api_blp)
    kernel_demo.register(demo.load)
    kernel_seed.register(seed.seed)
    personal_data.register("governance", privacy.keeper)
    worklist.register("governance", providers.responses_waiting)
    worklist.register_section("governance", providers.my_responses_to_give)
    worklist.register_section("governance.follows", providers.my_follows)
