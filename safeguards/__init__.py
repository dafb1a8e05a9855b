"""Safeguards self-assessment against the UN Universal DPI Safeguards Framework."""

from flask import Flask

from consortium import demo as kernel_demo
from consortium import extensions, personal_data, storage, validations, worklist
from consortium import seed as kernel_seed
from consortium.audit.labels import register as register_audit_labels
from consortium.consultables import register as register_consultables
from consortium.permissions import register_policy
from consortium.signals import validation_decided
from safeguards import audit_labels, demo, home, privacy, seed, threads
from safeguards import consultables as safeguards_consultables
from safeguards import item_models as _item_models
from safeguards.api import blp as api_blp
from safeguards.cli import safeguards_cli
from safeguards.models import Assessment, Pilot
from safeguards.policies import assessment_policy, pilot_policy
from safeguards.roadmap import validation as roadmap_validation
from safeguards.roadmap import worklist as roadmap_worklist
from safeguards.roadmap.api import blp as roadmap_api_blp
from safeguards.roadmap.models import Action, ProgressUpdate, Roadmap
from safeguards.roadmap.policies import action_policy, roadmap_policy
from safeguards.views import bp, queue
from safeguards.views.framework import work_for as framework_work


def init_app(app: Flask) -> None:
    app.config.setdefault("SAFEGUARDS_EVIDENCE_MAX_MB", 10)  # per evidence file
    register_audit_labels(actions=audit_labels.ACTIONS, objects=audit_labels.OBJECTS)
    register_policy(Pilot, pilot_policy)
    register_policy(Assessment, assessment_policy)
    register_policy(Roadmap, roadmap_policy)
    register_policy(Action, action_policy)
    storage.owned_by(_item_models.EvidenceFile.file)
    storage.owned_by(ProgressUpdate.file)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    extensions.api.register_blueprint(roadmap_api_blp)
    app.cli.add_command(safeguards_cli)
    kernel_demo.register(demo.load)
    kernel_seed.register(seed.seed)
    personal_data.register("safeguards", privacy.keeper)
    worklist.register("safeguards", queue.work_items)
    worklist.register("safeguards.framework", framework_work)
    worklist.register("safeguards.threads", threads.worklist)
    worklist.register_section("safeguards.pilots", home.my_pilots)
    worklist.register("safeguards.roadmap", roadmap_worklist.work_items)
    worklist.register_section("safeguards.roadmap", roadmap_worklist.section)
    # the package's own ``consultables`` module shadows the kernel's name here, hence the alias
    register_consultables("safeguards", safeguards_consultables.documents)
    validations.register("safeguards.roadmap", roadmap_validation.validatable)
    validation_decided.connect(roadmap_validation.on_validation_decided)
