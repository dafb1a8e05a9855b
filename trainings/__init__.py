"""DPI trainings: catalogue, registration with waiting lists, attendance, certificates, reach."""

from flask import Flask

from consortium import demo as kernel_demo
from consortium import extensions, personal_data, suggestions, worklist
from consortium import seed as kernel_seed
from consortium.audit.labels import register as register_audit_labels
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, register_policy
from trainings import audit_labels, cli, policies, privacy, providers
from trainings import demo as demo_data
from trainings import seed as seed_data
from trainings.api import blp as api_blp
from trainings.models import DisseminationReport, Registration, Training
from trainings.views import bp


def init_app(app: Flask) -> None:
    register_audit_labels(actions=audit_labels.ACTIONS, objects=audit_labels.OBJECTS)
    register_policy(Training, policies.training_policy)
    register_policy(Registration, policies.registration_policy)
    register_policy(Organisation, policies.dissemination_policy, permissions={Permission.TRAININGS_REPORT})
    register_policy(DisseminationReport, policies.report_policy)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    app.cli.add_command(cli.trainings_cli)
    kernel_demo.register(demo_data.load)
    kernel_seed.register(seed_data.seed)
    suggestions.register("trainings", providers.suggest)
    worklist.register_section("registrations", providers.my_registrations)
    worklist.register_section("certificates", providers.my_certificates)
    personal_data.register("trainings", privacy.keeper)
    worklist.register("trainings", providers.work_for)
